"""Inbox, task page, claim / release / complete: each change is one engine use case (one
transaction); pages read the task and its consultation through the engine's read functions."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine import access
from engine.consultation import cases as consultations
from engine.consultation import reassign
from engine.errors import InvalidInput, NotFound, TaskConflict
from engine.workflow import task_drafts, tasks
from engine.workflow.whereabouts import whereabouts
from web.engine_messages import engine_fields
from web.errors import gone_message
from web.extensions import db
from web.presenters import consultation_dict, task_detail_dict, task_dict
from web.tasks.blueprint import bp

from .fields import context_rows, html_fields
from .formdata import check_actionable, form_values


def inbox_rows(actor) -> list[dict]:
    """The actor's open tasks as dicts, soonest due first, with the consultation's title."""
    rows = [task_dict(t) for t in tasks.tasks_for_user(db.session, actor)]
    titles = consultations.titles(db.session, actor, [r["consultation_id"] for r in rows])
    for row in rows:
        row["title"] = titles.get(row["consultation_id"])
    return rows


def _task_page(task_id: str, values=None, errors=None, status: int = 200):
    actor = current_user.actor
    task = task_detail_dict(tasks.get_task(db.session, task_id, actor), actor)
    html_fields(task["form"]["fields"], actor)
    consultation = None
    if task["consultation_id"] is not None:
        try:
            consultation = consultation_dict(consultations.get_consultation(
                db.session, task["consultation_id"], actor))
        except NotFound:
            consultation = None
    draft = None
    if values is None:
        # What the person typed before a reload, a conflict or a migration, over the task's
        # own values; the page says so.
        draft = task_drafts.load(db.session, task_id, actor)
        values = {**task["values"], **draft.data} if draft else task["values"]
    return render_template("tasks/task.html", task=task, c=consultation,
                           context=context_rows(task["context"]), values=values,
                           draft=draft, timezone=str(get_timezone()),
                           errors=errors or {}), status


@bp.route("/")
@login_required
def inbox():
    """The caller's open tasks, soonest due first, overdue ones marked; duty officers also see
    how many tasks wait for them to reassign (those are not theirs to claim)."""
    actor = current_user.actor
    waiting = len(reassign.queued(db.session, actor)) if access.can(actor, "reassign") else 0
    return render_template("tasks/inbox.html", tasks=inbox_rows(actor), waiting=waiting)


@bp.route("/<task_id:task_id>")
@login_required
def show(task_id):
    """A task with the consultation's context and its form; one that has left the caller
    (a colleague took it, it was done or withdrawn) sends them to their inbox saying so."""
    gone = whereabouts(db.session, task_id, current_user.actor)
    if gone is None:
        return _task_page(task_id)
    flash(gone_message(gone), "info")
    return redirect(url_for("tasks.inbox")), 303


@bp.route("/<task_id:task_id>/claim", methods=["POST"])
@login_required
def claim(task_id):
    """Take a task offered to the caller's role or institution."""
    tasks.claim(db.session, task_id, current_user.actor)  # a conflict answers 409
    flash(_("已领取任务。"), "info")
    return redirect(url_for("tasks.show", task_id=task_id)), 303


@bp.route("/<task_id:task_id>/release", methods=["POST"])
@login_required
def release(task_id):
    """Give a claimed task back to the pool."""
    tasks.release(db.session, task_id, current_user.actor)
    flash(_("已放回任务池。"), "info")
    return redirect(url_for("tasks.inbox")), 303


@bp.route("/<task_id:task_id>/complete", methods=["POST"])
@login_required
def complete(task_id):
    """Submit the form; errors are shown beside the fields, a conflict (409) is explained."""
    detail = tasks.get_task(db.session, task_id, current_user.actor)
    check_actionable(detail)
    fields = task_detail_dict(detail, current_user.actor)["form"]["fields"]
    data, errors = form_values(fields, request.form)
    if errors:
        return _task_page(task_id, request.form, errors, 422)
    try:
        tasks.complete(db.session, task_id, current_user.actor, data,
                       revision=request.form.get("revision", type=int))
    except InvalidInput as exc:
        return _task_page(task_id, request.form, engine_fields(exc.fields), 422)
    except TaskConflict:
        # The error page says the input was kept only when it was: the task is still the
        # person's and their autosaved draft is there to reopen.
        g.draft_kept = task_drafts.load(db.session, task_id, current_user.actor) is not None
        raise
    flash(_("已提交。"), "info")
    return redirect(url_for("tasks.inbox")), 303
