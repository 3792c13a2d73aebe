"""The `supervisor` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervise")
