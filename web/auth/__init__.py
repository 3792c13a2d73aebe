"""Login, logout and citizen self-registration."""
from web.auth import password, views  # noqa: F401  (their routes register on bp)
from web.auth.blueprint import bp  # noqa: F401
