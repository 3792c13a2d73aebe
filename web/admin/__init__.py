"""System administrators: accounts, version diffs and migration of running instances."""
from web.admin import api, users, views  # noqa: F401  (their routes register on bp)
from web.admin.blueprint import bp  # noqa: F401
