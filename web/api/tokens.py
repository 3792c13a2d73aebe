"""Signed, expiring API tokens that embed the user's token_version (bumped to revoke)."""
from functools import wraps

from flask import current_app, g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from engine.actor import Actor
from engine.models import DISABLED, User
from web.extensions import db

SALT = "api-token-v1"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(user: User) -> str:
    """A bearer token for `user`, valid for API_TOKEN_MAX_AGE seconds."""
    return _serializer().dumps({"uid": user.id, "tv": user.token_version})


def user_for_token(token: str) -> User | None:
    """The token's user, or None when expired, forged, revoked or the user is disabled."""
    try:
        payload = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, payload.get("uid"))
    if user is None or user.status == DISABLED or user.token_version != payload.get("tv"):
        return None
    return user


def token_required(view):
    """Require `Authorization: Bearer <token>`; the user is `g.api_user`, the actor `g.actor`."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise Unauthorized("missing, expired or revoked token",
                               www_authenticate=WWWAuthenticate("Bearer", {"realm": "api"}))
        g.api_user, g.actor = user, Actor.of(user)
        return view(*args, **kwargs)
    return wrapper
