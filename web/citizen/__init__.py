"""The citizen portal: submit a question, follow it, read and rate the answer."""
from flask import Blueprint

bp = Blueprint("citizen", __name__, url_prefix="/consultations")

from . import views  # noqa: E402,F401
