"""Suite-wide settings, applied before any project module is imported."""
import os

os.environ.setdefault("FAST_PASSWORD_HASHES", "1")  # argon2's cheapest profile in tests
