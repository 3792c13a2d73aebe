"""Operations: instances the timer worker gave up on (administrators) and tasks waiting to
be reassigned after a disqualification (duty officers)."""
from flask import Blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")

from . import views  # noqa: E402,F401
