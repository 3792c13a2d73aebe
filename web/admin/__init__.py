"""System administrators: accounts, institutions, version diffs and migration of running
instances."""
from web.admin import api, institutions, users, views  # noqa: F401  (routes register on bp)
from web.admin.blueprint import bp  # noqa: F401
