"""The `citizen` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("citizen", __name__, url_prefix="/consultations")
