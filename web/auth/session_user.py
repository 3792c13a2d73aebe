"""Flask-Login glue: the logged-in user as a light wrapper around the engine's User row."""
from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from engine.actor import Actor
from engine.models import DISABLED, User
from web.extensions import db, login_manager


class SessionUser(UserMixin):
    """What views see as `current_user`; the session id embeds token_version for revocation."""

    def __init__(self, user: User):
        self.user = user

    def __getattr__(self, name):
        return getattr(self.user, name)

    def get_id(self) -> str:
        return f"{self.user.id}:{self.user.token_version}"

    @property
    def is_active(self) -> bool:
        return self.user.status != DISABLED

    @property
    def actor(self) -> Actor:
        return Actor.of(self.user)


@login_manager.user_loader
def load_user(session_id: str) -> SessionUser | None:
    """Reload the user each request; disabled or revoked sessions log out."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.status == DISABLED or str(user.token_version) != version:
        return None
    return SessionUser(user)


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("请先登录。")
    login_manager.session_protection = "basic"
