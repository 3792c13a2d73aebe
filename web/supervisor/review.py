"""The review queue: flagged answers (with the scan's reasons) and citizens' complaints;
each is dismissed or turned into a case, with a reason."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.consultation.solicitation import scan
from engine.errors import InvalidInput
from engine.models.supervision import DISQUALIFY, WARN
from engine.oversight import review_queue
from web.auth.access import requires
from web.engine_messages import engine_error, engine_text
from web.extensions import db
from web.supervisor.blueprint import bp

ACTIONS = {
    ("flag", "dismiss"): review_queue.dismiss_flag,
    ("flag", "case"): review_queue.open_case,
    ("complaint", "dismiss"): review_queue.dismiss_complaint,
    ("complaint", "case"): review_queue.open_complaint_case,
}


def _page(errors: dict | None = None, values: dict | None = None, status: int = 200):
    items = review_queue.review_queue(db.session, current_user.actor)
    reasons = {i.id: [engine_text(r) for r in scan(i.text)] for i in items if i.kind == "flag"}
    return render_template("supervisor/review.html", items=items, reasons=reasons,
                           errors=errors or {}, values=values or {}), status


@bp.route("/review")
@requires("review_answers")
def review():
    """Unreviewed flags and complaints, oldest first."""
    return _page()


@bp.route("/review/<kind>/<int:item_id>", methods=["POST"])
@requires("review_answers")
def decide(kind: str, item_id: int):
    """Dismiss, or open a case (a warning or a disqualification) — a reason is required."""
    decision = request.form.get("decision", "")
    use_case = ACTIONS.get((kind, decision))
    if use_case is None:
        return _page({f"{kind}-{item_id}": [_("请选择处理方式")]}, status=422)
    reason = request.form.get("reason", "")
    kwargs = {}
    if decision == "case":
        kwargs["action"] = DISQUALIFY if request.form.get("sanction") == DISQUALIFY else WARN
    try:
        use_case(db.session, current_user.actor, item_id, reason, **kwargs)
    except InvalidInput as exc:
        message, fields = engine_error(exc)
        messages = fields.get("reason") or [message]
        return _page({f"{kind}-{item_id}": messages}, {f"{kind}-{item_id}": reason}, 422)
    flash(_("已驳回，条目移出队列。") if decision == "dismiss" else _("已立案处理。"), "info")
    return redirect(url_for("supervisor.review"), 303)
