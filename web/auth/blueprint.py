"""The `auth` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")
