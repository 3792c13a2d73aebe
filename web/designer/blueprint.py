"""The `designer` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("designer", __name__, url_prefix="/designer")
