"""System administrators: version diffs and migration of running instances."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import api, views  # noqa: E402,F401  (routes register themselves on bp)
