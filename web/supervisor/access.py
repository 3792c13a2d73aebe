"""Role checks for the oversight pages: anonymous users go to the login page, other roles
get 403."""
from collections.abc import Callable, Iterable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

SUPERVISION = frozenset({"supervisor", "admin"})  # admins may read what supervisors read
REPORTS = frozenset({"supervisor", "duty_officer", "admin"})


def roles_required(roles: Iterable[str]) -> Callable:
    """Decorate a view: logged in, and one of `roles`."""
    allowed = frozenset(roles)

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorate
