"""Signed, expiring API tokens naming a server-side login session (revoked at logout)."""
import time
from functools import lru_cache, wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
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
        sid, issued = _genuine(_serializer(), token)
    except BadSignature:
        return None
    age = time.time() - issued
    return sid if 0 <= age <= current_app.config["API_TOKEN_MAX_AGE"] else None


@lru_cache(maxsize=4096)
def _genuine(serializer: URLSafeTimedSerializer, token: str) -> tuple[str | None, float]:
    """A token's session id (None if it names none) and when it was signed; BadSignature when
    it is not ours. Remembered for the tokens verified lately: a client sends the same token
    with every request, and its signature check was a tenth of a small request's CPU; only
    a genuine token is remembered (an exception is not), so forged ones cannot crowd it out."""
    payload, signed_at = serializer.loads(token, return_timestamp=True)
    sid = payload.get("sid") if isinstance(payload, dict) else None
    return (sid if isinstance(sid, str) else None), signed_at.timestamp()


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
