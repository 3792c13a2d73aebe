"""Inbox, task page, claim / release / complete — each a single engine call."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import InvalidFormData, TaskConflict
from web import gateway
from web.extensions import db
from web.presenters import task_detail_dict, task_dict

from . import bp
from .formdata import form_values


def _inbox_rows() -> list[dict]:
    if not gateway.available(gateway.tasks):
        return []
    rows = [task_dict(t) for t in gateway.tasks.tasks_for_user(db.session, current_user.actor)]
    far = float("inf")
    return sorted(rows, key=lambda r: r["remaining_seconds"] if r["due_at"] else far)


@bp.route("/")
@login_required
def inbox():
    """The caller's open tasks, soonest due first, overdue ones marked."""
    return render_template("tasks/inbox.html", tasks=_inbox_rows())


@bp.route("/<task_id>")
@login_required
def show(task_id):
    """A task with the consultation's context and its form."""
    task = task_detail_dict(gateway.tasks.get_task(db.session, task_id, current_user.actor),
                            current_user.role)
    return render_template("tasks/task.html", task=task, values={}, errors={})


@bp.route("/<task_id>/claim", methods=["POST"])
@login_required
def claim(task_id):
    """Take a task offered to the caller's role or institution."""
    gateway.tasks.claim(db.session, task_id, current_user.actor)
    flash(_("已领取任务。"), "info")
    return redirect(url_for("tasks.show", task_id=task_id))


@bp.route("/<task_id>/release", methods=["POST"])
@login_required
def release(task_id):
    """Give a claimed task back to the pool."""
    gateway.tasks.release(db.session, task_id, current_user.actor)
    flash(_("已放回任务池。"), "info")
    return redirect(url_for("tasks.inbox"))


@bp.route("/<task_id>/complete", methods=["POST"])
@login_required
def complete(task_id):
    """Submit the form; errors are shown beside the fields, conflicts explained."""
    detail = gateway.tasks.get_task(db.session, task_id, current_user.actor)
    task = task_detail_dict(detail, current_user.role)
    data = form_values(task["form"]["fields"], request.form)
    revision = request.form.get("revision", type=int)
    try:
        gateway.tasks.complete(db.session, task_id, current_user.actor, data, revision=revision)
    except InvalidFormData as exc:
        return render_template("tasks/task.html", task=task, values=request.form,
                               errors=exc.fields), 422
    except TaskConflict as exc:
        flash(exc.message or _("任务已被他人处理，请刷新。"), "error")
        return redirect(url_for("tasks.inbox")), 303
    flash(_("已提交。"), "info")
    return redirect(url_for("tasks.inbox"))
