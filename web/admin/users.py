"""The accounts page: administrators list users, disable / enable them, reset passwords."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import InvalidInput
from engine.people import users
from engine.people.roles import ROLES
from web.admin.blueprint import bp
from web.auth.access import requires
from web.engine_messages import engine_error, engine_text
from web.extensions import db


def _page(status: int = 200, shown: dict | None = None, errors: dict | None = None):
    role = request.args.get("role")
    role = role if role in ROLES else None
    rows = users.accounts(db.session, current_user.actor, role)
    response = make_response(render_template(
        "admin/users.html", rows=rows, role=role, roles=ROLES, shown=shown,
        errors=errors or {}), status)
    response.headers["Cache-Control"] = "no-store"  # a one-time password may be on it
    return response


@bp.route("/users")
@requires("manage_users")
def user_list():
    """Every account with its role and status, and the actions on it."""
    return _page()


@bp.route("/users/<int:user_id>/disable", methods=["POST"])
@requires("manage_users")
def disable(user_id: int):
    """Disable an account; its sessions and tokens stop working at once."""
    try:
        user = users.disable(db.session, current_user.actor, user_id)
    except InvalidInput as exc:
        return _page(422, errors={user_id: [engine_text(exc.message)]})
    flash(_("已停用账号 %(name)s，其登录与令牌已全部失效。", name=user.username), "info")
    return redirect(url_for("admin.user_list"), 303)


@bp.route("/users/<int:user_id>/enable", methods=["POST"])
@requires("manage_users")
def enable(user_id: int):
    """Enable a disabled account; the person logs in again."""
    user = users.enable(db.session, current_user.actor, user_id)
    flash(_("已启用账号 %(name)s。", name=user.username), "info")
    return redirect(url_for("admin.user_list"), 303)


@bp.route("/users/<int:user_id>/password", methods=["POST"])
@requires("manage_users")
def reset_password(user_id: int):
    """Set the password typed by the administrator, or generate one shown only on this page
    (never flashed: the flash would travel in the session cookie)."""
    typed = request.form.get("password", "").strip() or None
    try:
        password = users.reset_password(db.session, current_user.actor, user_id, typed)
    except InvalidInput as exc:
        message, fields = engine_error(exc)
        return _page(422, errors={user_id: fields.get("password") or [message]})
    if typed is not None:
        flash(_("密码已重设，该账号的登录与令牌已全部失效。"), "info")
        return redirect(url_for("admin.user_list"), 303)
    return _page(shown={"user_id": user_id, "password": password})
