"""Signed, expiring API tokens that embed the user's token_version (bumped to revoke)."""
from functools import wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import bindparam, select
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from engine.actor import Actor
from engine.models import DISABLED, User
from web.extensions import db

SALT = "api-token-v1"


def _serializer() -> URLSafeTimedSerializer:
    """The app's token serializer, built once per app (every API request verifies a token)."""
    key = current_app.config["SECRET_KEY"]
    cached = current_app.extensions.get("api_token_serializer")
    if cached is None or cached[0] != key:
        cached = current_app.extensions["api_token_serializer"] = (
            key, URLSafeTimedSerializer(key, salt=SALT))
    return cached[1]


def issue_token(user: User) -> str:
    """A bearer token for `user`, valid for API_TOKEN_MAX_AGE seconds."""
    return _serializer().dumps({"uid": user.id, "tv": user.token_version})


# One prebuilt Core query per API request: the columns an Actor needs and the revocation
# checks, without loading the ORM object (the whole User is loaded only where it is shown).
_U = User.__table__.c
_TOKEN_USER = select(_U.id, _U.role, _U.institution_id, _U.username, _U.status,
                     _U.token_version).where(_U.id == bindparam("uid"))


def actor_for_token(token: str) -> Actor | None:
    """The token's actor, or None when expired, forged, revoked or the user is disabled."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    uid = payload.get("uid") if isinstance(payload, dict) else None
    row = db.session.execute(_TOKEN_USER, {"uid": uid}).first() if isinstance(uid, int) else None
    if row is None or row.status == DISABLED or row.token_version != payload.get("tv"):
        return None
    return Actor(id=row.id, role=row.role, institution_id=row.institution_id,
                 username=row.username)


def token_required(view):
    """Require `Authorization: Bearer <token>`; the caller is `g.actor`."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        actor = actor_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if actor is None:
            raise Unauthorized("missing, expired or revoked token",
                               www_authenticate=WWWAuthenticate("Bearer", {"realm": "api"}))
        g.actor = actor
        return view(*args, **kwargs)
    return wrapper
