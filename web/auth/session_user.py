"""Flask-Login glue: the logged-in user as a light wrapper around the engine's User row.

The cookie carries only a random login-session id (signed with SECRET_KEY); every request
checks that session on the server, so logout, disabling and password resets take effect at
once, even for a copied cookie.
"""
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from engine.actor import Actor
from engine.models import DISABLED, User
from engine.people import sessions
from web.extensions import db, login_manager


class SessionUser(UserMixin):
    """What views see as `current_user`; `session_id` names its server-side login session."""

    def __init__(self, user: User, session_id: str):
        self.user = user
        self.session_id = session_id

    def __getattr__(self, name):
        return getattr(self.user, name)

    def get_id(self) -> str:
        return self.session_id

    @property
    def is_active(self) -> bool:
        return self.user.status != DISABLED

    @property
    def actor(self) -> Actor:
        return Actor.of(self.user)


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    """Reload the user each request; closed, revoked or disabled sessions log out."""
    user = sessions.user_of(db.session, session_id)
    return SessionUser(user, session_id) if user is not None else None


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the signer built once per set of keys: Flask
    builds it on every request (twice for a request that saves), a tenth of a small one."""

    def __init__(self):
        self._signer: tuple = (None, None)

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        known, signer = self._signer
        if known != keys:  # first use, or SECRET_KEY rotated
            signer = super().get_signing_serializer(app)
            self._signer = (keys, signer)
        return signer


def init_login(app: Flask) -> None:
    app.session_interface = CookieSessions()
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.session_protection = "basic"
