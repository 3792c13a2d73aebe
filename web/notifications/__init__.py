"""Each user's notifications (the outbox rows) and the unread badge in the header."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

from . import views  # noqa: E402,F401
