"""Password hashing with argon2id (argon2-cffi defaults, RFC 9106 low-memory profile)."""
import os

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

# The test suite sets FAST_PASSWORD_HASHES=1: thousands of logins at production cost would
# dominate its run time. Never set it in production.
_PROFILE = (profiles.CHEAPEST if os.environ.get("FAST_PASSWORD_HASHES") == "1"
            else profiles.RFC_9106_LOW_MEMORY)
_hasher = PasswordHasher.from_parameters(_PROFILE)
# Verified against when the username is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash string of `password` with a fresh salt."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when `password` matches; False for a wrong password or an empty/corrupt hash."""
    if not password_hash:
        burn_time(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def burn_time(password: str) -> None:
    """Spend one verification's time, so unknown usernames cannot be told apart by timing."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass
