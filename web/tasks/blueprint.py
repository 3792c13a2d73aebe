"""The `tasks` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("tasks", __name__, url_prefix="/tasks")
