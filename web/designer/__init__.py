"""Process designers: versions, the web modeler, drafts, deployment, instance diagrams."""
from flask import Blueprint

bp = Blueprint("designer", __name__, url_prefix="/designer")

from . import api, views  # noqa: E402,F401  (routes register themselves on bp)
