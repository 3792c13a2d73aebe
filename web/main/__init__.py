"""Home page per role, language switch, the health check and the installable app's files."""
from web.main import app_shell, views  # noqa: F401  (their routes register on bp)
from web.main.blueprint import bp  # noqa: F401
