"""Auth views: login (rate limited), logout, citizen registration."""
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from engine.errors import InvalidInput
from engine.people import profile, sessions, users
from web.auth.blueprint import bp
from web.engine_messages import engine_fields
from web.extensions import db, limiter

from .forms import LoginForm, RegisterForm
from .session_user import SessionUser


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so ?next= cannot send users elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("main.home")


def _start_session(user, session_id: str) -> None:
    login_user(SessionUser(user, session_id))
    if user.locale:
        session["lang"] = user.locale


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    """Show the login form; log the user in when the password matches."""
    form = LoginForm()
    if form.validate_on_submit():
        opened = users.log_in(db.session, form.username.data, form.password.data, "web",
                              current_app.config["PERMANENT_SESSION_LIFETIME"])
        if opened is not None:
            _start_session(*opened)
            return redirect(_safe_next(request.args.get("next")))
        flash(_("用户名或密码错误，或账号已停用。"), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """End the session on the server too (POST only, so another site cannot log users out)."""
    sessions.close_session(db.session, current_user.session_id)
    logout_user()
    session.pop("lang", None)
    flash(_("已退出登录。"), "info")
    return redirect(url_for("auth.login"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def register():
    """Citizen self-registration; other roles are created by administrators."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = users.create_user(
                db.session, form.username.data, "citizen", password=form.password.data,
                display_name=form.display_name.data, phone=form.phone.data)
        except InvalidInput as exc:
            for name, messages in engine_fields(exc.fields).items():
                getattr(form, name, form.username).errors.extend(messages)
        else:
            _start_session(user, sessions.open_session(
                db.session, user.id, "web", current_app.config["PERMANENT_SESSION_LIFETIME"]))
            flash(_("注册成功，欢迎使用。"), "info")
            return redirect(url_for("main.home"))
    status = 422 if form.errors else 200
    return render_template("auth/register.html", form=form), status


@bp.route("/me", methods=["GET", "POST"])
@login_required
def me():
    """The user's own profile: name and phone (the phone prefills the question form)."""
    values, errors = profile.get_profile(db.session, current_user.id), {}
    if request.method == "POST":
        values = {"display_name": request.form.get("display_name", ""),
                  "phone": request.form.get("phone", "")}
        try:
            profile.update_profile(db.session, current_user.id, **values)
        except InvalidInput as exc:
            errors = engine_fields(exc.fields)
        else:
            flash(_("资料已保存。"), "info")
            return redirect(url_for("auth.me")), 303
    return render_template("auth/me.html", values=values, errors=errors), 422 if errors else 200
