"""The `admin` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
