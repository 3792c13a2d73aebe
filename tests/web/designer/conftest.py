"""Fixtures shared by the designer and admin page tests (see tests/web/process_world.py)."""
from tests.web.process_world import deployed, login_as, waiting  # noqa: F401
