"""Home, language switch, health check, favicon."""
from flask import (
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import text

from engine.consultation.facts import latest_answer_hours
from engine.people import users
from web.extensions import db, limiter
from web.main.blueprint import bp

TASK_ROLES = {"lawyer", "staff", "duty_officer", "expert"}


@bp.route("/")
def home():
    """Send each role to where their work is; anonymous visitors see the welcome page."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html",
                               answer_hours=latest_answer_hours(db.session))
    if current_user.role == "citizen":
        return redirect(url_for("citizen.my_consultations"))
    if current_user.role in TASK_ROLES:
        return redirect(url_for("tasks.inbox"))
    return render_template("main/home.html")


@bp.route("/language", methods=["POST"])
def set_language():
    """Switch the interface language for this session (and the user's profile)."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            users.set_locale(db.session, current_user.id, lang)
    back = request.form.get("next") or request.referrer or ""
    host = request.host_url
    return redirect(back if back.startswith(host) or back.startswith("/") and
                    not back.startswith("//") else url_for("main.home"))


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Liveness and database check for load balancers: {status, database}."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means the database is unreachable
        current_app.logger.exception("health check failed")
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")


@bp.route("/favicon.ico")
@limiter.exempt
def favicon():
    """The icon browsers ask for at the root before reading any page's <link rel=icon>."""
    return send_from_directory(current_app.static_folder, "favicon.ico",
                               mimetype="image/vnd.microsoft.icon", max_age=7 * 24 * 3600)
