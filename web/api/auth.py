"""Token issue and the caller's profile."""
from flask_smorest import Blueprint

blp = Blueprint("api_auth", __name__, description="Authentication")
