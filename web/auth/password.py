"""Changing one's own password; a one-time password from an administrator must be changed
before anything else can be done."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import InvalidInput
from engine.people import users
from web.auth.blueprint import bp
from web.engine_messages import engine_fields
from web.extensions import db

from .forms import PasswordForm

ALWAYS_ALLOWED = {"auth.change_password", "auth.logout", "static", "main.set_language"}


@bp.before_app_request
def require_new_password():
    """Send a person still holding a one-time password to the change form (pages only;
    the API refuses them a token)."""
    if request.path.startswith("/api/"):  # first: an API request loads no cookie user
        return None
    if (current_user.is_authenticated and current_user.must_change_password
            and request.endpoint not in ALWAYS_ALLOWED):
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Set a new password; the person's other sessions and tokens end."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            users.change_password(db.session, current_user.id, form.current.data,
                                  form.password.data, keep_session=current_user.session_id)
        except InvalidInput as exc:
            for name, messages in engine_fields(exc.fields).items():
                getattr(form, name, form.password).errors.extend(messages)
        else:
            flash(_("密码已修改，其他设备上的登录已退出。"), "info")
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("auth/password.html", form=form), status
