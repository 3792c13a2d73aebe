"""The `board` blueprint; the package's view modules register their routes on it."""
from flask import Blueprint

bp = Blueprint("board", __name__, url_prefix="/board")
