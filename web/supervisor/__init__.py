"""Network supervision: every consultation, the audit log, the review queue, lawyers'
warnings and the SLA reports."""
from flask import Blueprint

bp = Blueprint("supervisor", __name__, url_prefix="/supervise")

from . import audit, consultations, lawyers, reports, review  # noqa: E402,F401
