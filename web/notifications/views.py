"""Notifications page, mark read (one or all), and the header's unread count."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.notifications import outbox
from web.engine_messages import engine_text
from web.extensions import db
from web.notifications.blueprint import bp

PAGE = 100


@bp.app_context_processor
def unread_badge() -> dict:
    """`unread_count` for every page: one indexed COUNT, only for logged-in users."""
    if not getattr(current_user, "is_authenticated", False):
        return {"unread_count": 0}
    return {"unread_count": outbox.unread_count(db.session, current_user.id)}


def _safe_link(link: str | None) -> str | None:
    """Only same-site paths become links."""
    return link if link and link.startswith("/") and not link.startswith("//") else None


@bp.route("/")
@login_required
def index():
    """The caller's notifications, newest first; ?unread=1 shows only unread ones."""
    unread_only = request.args.get("unread") == "1"
    rows = [row.read_in(engine_text) for row in outbox.list_for_user(
        db.session, current_user.id, limit=PAGE, unread_only=unread_only)]
    return render_template("notifications/list.html", rows=rows, unread_only=unread_only,
                           link=_safe_link)


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_one(notification_id: int):
    """Mark one notification read, then follow its link when asked to."""
    outbox.mark_read(db.session, current_user.id, [notification_id])
    target = _safe_link(request.form.get("next"))
    return redirect(target or url_for("notifications.index"), 303)


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all():
    """Mark every notification of the caller read."""
    count = outbox.mark_read(db.session, current_user.id)
    return_to = url_for("notifications.index")
    flash(_("已将 %(n)s 条通知标为已读。", n=count), "info")
    return redirect(return_to, 303)
