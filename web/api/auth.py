"""POST /api/v1/auth/token, POST /api/v1/auth/logout and GET /api/v1/me."""
from datetime import timedelta

from flask import current_app, g
from flask_smorest import Blueprint, abort
from werkzeug.exceptions import Unauthorized

from engine.people import sessions, users
from web.extensions import db, limiter
from web.i18n import role_label

from . import schemas
from .tokens import issue_token, token_required

blp = Blueprint("api_auth", __name__, description="Authentication")


@blp.route("/auth/token", methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"])
@blp.arguments(schemas.TokenRequest)
@blp.response(200, schemas.TokenResponse)
def token(body):
    """Exchange a username and password for a bearer token."""
    max_age = current_app.config["API_TOKEN_MAX_AGE"]
    opened = users.log_in(db.session, body["username"], body["password"], "api",
                          timedelta(seconds=max_age))
    if opened is None:
        raise Unauthorized("wrong username or password, or the account is disabled")
    if opened[0].must_change_password:  # a one-time password opens only the change form
        sessions.close_session(db.session, opened[1])
        abort(403, message="this is a one-time password: change it at /auth/password first")
    return {"token": issue_token(opened[1]), "expires_in": max_age}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
@token_required
def logout():
    """Revoke the token used for this request (other tokens of the caller stay valid)."""
    sessions.close_session(db.session, g.session_id)


@blp.route("/me")
@blp.response(200, schemas.Me)
@token_required
def me():
    """The caller's own profile, the role named in the caller's own language (web.i18n asks
    `g.account`, as for every API message)."""
    return {**g.account, "role_label": role_label(g.account["role"])}
