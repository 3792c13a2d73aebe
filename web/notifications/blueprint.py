"""The `notifications` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
