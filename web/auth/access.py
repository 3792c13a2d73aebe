"""The engine's access policy at the web's door: `@requires(capability)` on views and
`can(capability)` in templates. Anonymous visitors go to the login page; the rest get 403."""
from collections.abc import Callable
from functools import wraps

from flask import Flask, abort
from flask_login import current_user, login_required

from engine import access


def can(capability: str) -> bool:
    """Whether the logged-in user holds the capability now (role and standing)."""
    return bool(current_user.is_authenticated) and access.can(current_user.actor, capability)


def requires(capability: str) -> Callable:
    """Decorate a view: logged in, and holding `capability` in the engine's policy."""
    access.POLICY[capability]  # a misspelt capability fails at import, not at request time

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(capability):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate


def init_app(app: Flask) -> None:
    app.jinja_env.globals["can"] = can
