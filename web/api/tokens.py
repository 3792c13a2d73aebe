"""Signed, expiring API tokens naming a server-side login session (revoked at logout)."""
from functools import wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from engine.people import sessions
from web.extensions import db

SALT = "api-token-v2"  # v1 tokens named a per-user counter; they no longer verify


def _serializer() -> URLSafeTimedSerializer:
    """The app's token serializer, built once per app (every API request verifies a token)."""
    key = current_app.config["SECRET_KEY"]
    cached = current_app.extensions.get("api_token_serializer")
    if cached is None or cached[0] != key:
        cached = current_app.extensions["api_token_serializer"] = (
            key, URLSafeTimedSerializer(key, salt=SALT))
    return cached[1]


def issue_token(session_id: str) -> str:
    """A bearer token for a login session, valid for API_TOKEN_MAX_AGE seconds."""
    return _serializer().dumps({"sid": session_id})


def session_of_token(token: str) -> str | None:
    """The login-session id inside a genuine, unexpired token, else None."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    sid = payload.get("sid") if isinstance(payload, dict) else None
    return sid if isinstance(sid, str) else None


def _caller(load):
    """What `load(session, sid)` finds for this request's `Authorization: Bearer` token (its
    login session's id kept in `g.session_id`); 401 when the token or its session is not
    good."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    sid = session_of_token(token.strip()) if scheme.lower() == "bearer" else None
    found = load(db.session, sid) if sid is not None else None
    if found is None:
        raise Unauthorized("missing, expired or revoked token",
                           www_authenticate=WWWAuthenticate("Bearer", {"realm": "api"}))
    g.session_id = sid
    return found


def token_required(view):
    """Require `Authorization: Bearer <token>`; the caller is `g.actor`, their account as they
    see it `g.account` (with their saved language, which the API's messages follow), its
    session `g.session_id`: one query."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        g.actor, g.account = _caller(sessions.account_of)
        return view(*args, **kwargs)
    return wrapper
