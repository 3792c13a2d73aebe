"""Role checks for the designer and admin sections."""
from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

DESIGNERS = ("designer",)
VIEWERS = ("designer", "admin")
ADMINS = ("admin",)
INSTANCE_VIEWERS = ("admin", "designer", "supervisor", "duty_officer")


def roles_required(*roles: str) -> Callable:
    """Anonymous visitors go to the login page; other roles get 403."""
    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate
