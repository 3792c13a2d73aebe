"""Suite-wide settings, applied before any project module is imported, and the shared
fixtures (tests/fixtures.py, on tests/factories.py)."""
import os

os.environ.setdefault("FAST_PASSWORD_HASHES", "1")  # argon2's cheapest profile in tests

pytest_plugins = ["tests.fixtures"]
