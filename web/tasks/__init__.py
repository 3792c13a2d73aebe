"""Inbox and task pages for lawyers, staff, duty officers and experts."""
from flask import Blueprint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")

from . import views  # noqa: E402,F401
