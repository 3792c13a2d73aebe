"""The duty officers' board of every open consultation."""
from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")

from . import views  # noqa: E402,F401
