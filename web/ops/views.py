"""Incidents with a retry button, e-mails that failed, and the reassignment queue."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.consultation import reassign
from engine.errors import InvalidInput
from engine.notifications import failures
from engine.workflow import timers
from web.auth.access import requires
from web.engine_messages import engine_error, engine_text
from web.extensions import db
from web.ops.blueprint import bp


@bp.route("/incidents")
@requires("retry_incident")
def incidents():
    """Process instances in incident status, most recent first, with their error."""
    return render_template("ops/incidents.html", rows=timers.list_incidents(db.session))


@bp.route("/incidents/<int:instance_id>/retry", methods=["POST"])
@requires("retry_incident")
def retry(instance_id: int):
    """Put an incident back in the worker's queue."""
    timers.retry_incident(db.session, instance_id, current_user.actor)
    flash(_("已重新排入定时任务队列，下一次轮询时执行。"), "info")
    return redirect(url_for("ops.incidents"), 303)


@bp.route("/mail-failures")
@requires("read_mail_failures")
def mail_failures():
    """E-mails the worker gave up on, newest first, each with the reason; the notices'
    subjects in the administrator's language."""
    rows = [row.read_in(engine_text) for row in
            failures.list_failed(db.session, current_user.actor)]
    return render_template("ops/mail_failures.html", rows=rows)


def _queued() -> list:
    return reassign.queued(db.session, current_user.actor)


@bp.route("/reassign")
@requires("reassign")
def reassign_queue():
    """Tasks taken from a disqualified (or unavailable) person, each with a picker."""
    rows = [(t, reassign.candidates(db.session, t.id, current_user.actor)) for t in _queued()]
    return render_template("ops/reassign.html", rows=rows, errors={})


@bp.route("/reassign/<task_id>", methods=["POST"])
@requires("reassign")
def reassign_task(task_id: str):
    """Give a queued task to the chosen person; the error shows beside the picker."""
    user_id = request.form.get("new_user_id", type=int)
    try:
        reassign.reassign_task(db.session, task_id, user_id, current_user.actor)
    except InvalidInput as exc:
        rows = [(t, reassign.candidates(db.session, t.id, current_user.actor))
                for t in _queued()]
        message, fields = engine_error(exc)
        errors = {task_id: fields.get("new_user_id") or [message]}
        return render_template("ops/reassign.html", rows=rows, errors=errors), 422
    flash(_("任务已改派。"), "info")
    return redirect(url_for("ops.reassign_queue"), 303)
