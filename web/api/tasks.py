"""The caller's tasks: list, detail with form, claim, release, complete."""
from flask import g
from flask_smorest import Blueprint

from engine.workflow import tasks
from web.extensions import db
from web.presenters import task_detail_dict, task_dict

from . import schemas
from .tokens import token_required

blp = Blueprint("api_tasks", __name__, description="Human tasks")


@blp.route("/tasks")
@blp.response(200, schemas.Task(many=True))
@token_required
def list_tasks():
    """Open tasks the caller may work on, soonest due first."""
    return [task_dict(t) for t in tasks.tasks_for_user(db.session, g.actor)]


@blp.route("/tasks/<task_id:task_id>")
@blp.response(200, schemas.TaskDetail)
@token_required
def get_task(task_id):
    """One task with its form fields, current values and the consultation's context; 409
    `task_gone` (with `task.state`) for one that was the caller's and has left them."""
    return task_detail_dict(tasks.get_task(db.session, task_id, g.actor), g.actor)


@blp.route("/tasks/<task_id:task_id>/claim", methods=["POST"])
@blp.response(200, schemas.Task)
@token_required
def claim(task_id):
    """Take a task offered to the caller's role or institution; 409 if a colleague was faster."""
    return task_dict(tasks.claim(db.session, task_id, g.actor))


@blp.route("/tasks/<task_id:task_id>/release", methods=["POST"])
@blp.response(200, schemas.Task)
@token_required
def release(task_id):
    """Give a claimed task back to the pool."""
    return task_dict(tasks.release(db.session, task_id, g.actor))


@blp.route("/tasks/<task_id:task_id>/complete", methods=["POST"])
@token_required
@blp.arguments(schemas.CompleteRequest)
@blp.response(200, schemas.Task)
def complete(body, task_id):
    """Submit the task's form; 422 with per-field messages, 409 if someone was faster."""
    info = tasks.complete(db.session, task_id, g.actor, body["data"],
                          revision=body.get("revision"))
    return task_dict(info)
