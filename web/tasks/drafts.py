"""The task page's autosave: the person's unsubmitted input as JSON (CSRF-protected)."""
from flask import jsonify, request
from flask_login import current_user, login_required

from engine.workflow import task_drafts
from web.extensions import db
from web.tasks.blueprint import bp


def draft_json(draft) -> dict:
    """{data, saved_at} with the time in ISO form (UTC), or {} when there is none."""
    if draft is None:
        return {}
    return {"data": draft.data, "saved_at": draft.saved_at.isoformat()}


@bp.route("/<task_id:task_id>/draft", methods=["GET"])
@login_required
def draft_show(task_id):
    """The caller's saved draft for the task ({} when none)."""
    return jsonify(draft_json(task_drafts.load(db.session, task_id, current_user.actor)))


@bp.route("/<task_id:task_id>/draft", methods=["PUT", "POST"])
@login_required
def draft_save(task_id):
    """Save what the caller has typed so far: a JSON object {"data": {field: value}}."""
    body = request.get_json(silent=True)
    data = body.get("data") if isinstance(body, dict) else None
    draft = task_drafts.save(db.session, task_id, current_user.actor, data)
    return jsonify(draft_json(draft))


@bp.route("/<task_id:task_id>/draft", methods=["DELETE"])
@login_required
def draft_discard(task_id):
    """Throw the caller's draft away."""
    task_drafts.discard(db.session, task_id, current_user.actor)
    return "", 204
