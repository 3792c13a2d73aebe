"""Lawyers for supervisors (status, warnings, warn / disqualify / reinstate) and a lawyer's
own record of warnings and sanctions."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import InvalidInput
from engine.models.supervision import DISQUALIFY, REINSTATE, WARN
from engine.oversight import reading as oversight
from engine.oversight import supervision
from web.auth.access import requires
from web.engine_messages import engine_error
from web.extensions import db
from web.supervisor.blueprint import bp

SANCTIONS = {WARN: supervision.warn, DISQUALIFY: supervision.disqualify,
             REINSTATE: supervision.reinstate}


@bp.route("/lawyers")
@requires("read_supervision")
def lawyer_list():
    """Resident lawyers with their status, warnings and open tasks."""
    status = request.args.get("status") or None
    rows = oversight.lawyers(db.session, current_user.actor, status=status)
    return render_template("supervisor/lawyers.html", rows=rows, status=status)


def _lawyer_page(lawyer_id: int, errors: dict | None = None, values: dict | None = None,
                 status: int = 200):
    lawyer = oversight.lawyer(db.session, current_user.actor, lawyer_id)
    warnings = supervision.warnings_for(db.session, lawyer_id, current_user.actor)
    page = oversight.search_consultations(db.session, current_user.actor, lawyer_id=lawyer_id,
                                          limit=20)
    return render_template("supervisor/lawyer.html", lawyer=lawyer, warnings=warnings,
                           consultations=page.rows, errors=errors or {},
                           values=values or {}), status


@bp.route("/lawyers/<int:lawyer_id>")
@requires("read_supervision")
def lawyer_detail(lawyer_id: int):
    """One lawyer: record, recent consultations and (for supervisors) the sanction forms."""
    return _lawyer_page(lawyer_id)


@bp.route("/lawyers/<int:lawyer_id>/<action>", methods=["POST"])
@requires("sanction")
def sanction(lawyer_id: int, action: str):
    """Warn, disqualify (after an explicit confirmation) or reinstate, with a reason."""
    use_case = SANCTIONS.get(action)
    if use_case is None:
        return _lawyer_page(lawyer_id, {"action": [_("未知的处理方式")]}, status=404)
    reason = request.form.get("reason", "")
    values = {action: reason}
    if action == DISQUALIFY and request.form.get("confirm") != "yes":
        errors = {f"{action}-confirm": [_("请确认取消该律师的驻场资格")]}
        return _lawyer_page(lawyer_id, errors, values, 422)
    try:
        use_case(db.session, current_user.actor, lawyer_id, reason)
    except InvalidInput as exc:
        message, fields = engine_error(exc)
        errors = {f"{action}-{name}": messages for name, messages in fields.items()}
        errors = errors or {f"{action}-reason": [message]}
        return _lawyer_page(lawyer_id, errors, values, 422)
    flash({WARN: _("已发出警告，律师将收到通知。"),
           DISQUALIFY: _("已取消该律师的驻场资格，其未完成任务已转交值班人员改派。"),
           REINSTATE: _("已恢复该律师的驻场资格。")}[action], "info")
    return redirect(url_for("supervisor.lawyer_detail", lawyer_id=lawyer_id), 303)


@bp.route("/my-record", endpoint="my_record")
@requires("read_own_record")
def my_record():
    """The lawyer's own warnings and sanctions (also readable after disqualification)."""
    warnings = supervision.warnings_for(db.session, current_user.id, current_user.actor)
    return render_template("supervisor/my_record.html", warnings=warnings,
                           status=current_user.status)
