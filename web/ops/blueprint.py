"""The `ops` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")
