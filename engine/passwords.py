"""Password hashing with argon2id (argon2-cffi defaults, RFC 9106 low-memory profile)."""
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
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
