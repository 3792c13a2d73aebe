"""Home page per role, language switch and the health check."""
from web.main import views  # noqa: F401  (their routes register on bp)
from web.main.blueprint import bp  # noqa: F401
