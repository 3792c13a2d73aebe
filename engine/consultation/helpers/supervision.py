"""Helpers the supervision diagram calls: warn, disqualify and reinstate a lawyer."""
from engine.audit import record
from engine.consultation.reassign import queue_tasks_of
from engine.errors import N_, InvalidInput, NotFound
from engine.models import ACTIVE, DISQUALIFIED, LawyerWarning, User, utcnow
from engine.models.supervision import DISQUALIFY, REINSTATE, SANCTIONS, WARN
from engine.notifications.sanction_notices import notify
from engine.workflow.script_helpers import helper

ACTIONS = {WARN: "lawyer_warned", DISQUALIFY: "lawyer_disqualified",
           REINSTATE: "lawyer_reinstated"}


def _id(value) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() else None


def _lawyer(ctx, lawyer_id) -> User:
    user = ctx.session.get(User, _id(lawyer_id)) if _id(lawyer_id) is not None else None
    if user is None or user.role != "lawyer":
        raise NotFound("驻场律师不存在")
    return user


@helper
def check_sanction(ctx, action, lawyer_id, reason) -> int:
    """Refuse an unknown action, a missing reason, or a sanction that does not fit the
    lawyer's current status; return the lawyer's id."""
    if action not in SANCTIONS:
        message = N_("请选择警告、取消资格或恢复资格")
        raise InvalidInput(message, fields={"action": [message]})
    if not str(reason or "").strip():
        raise InvalidInput("必须填写理由", fields={"reason": [N_("必须填写此项")]})
    lawyer = _lawyer(ctx, lawyer_id)
    if action == DISQUALIFY and lawyer.status == DISQUALIFIED:
        raise InvalidInput("该律师的驻场资格已被取消", fields={"lawyer_id": [N_("已取消资格")]})
    if action == REINSTATE and lawyer.status != DISQUALIFIED:
        raise InvalidInput("该律师未被取消驻场资格", fields={"lawyer_id": [N_("未被取消资格")]})
    return lawyer.id


def _sanction(ctx, kind: str, lawyer: User, reason: str, answer_id=None,
              consultation_id=None) -> int:
    """Store the sanction, audit it, tell the lawyer; return the record's id."""
    consultation_id = _id(consultation_id)
    row = LawyerWarning(lawyer_id=lawyer.id, kind=kind, reason=str(reason).strip(),
                        by=ctx.actor.id, at=utcnow(), answer_id=_id(answer_id),
                        consultation_id=consultation_id, instance_id=ctx.instance.id)
    ctx.session.add(row)
    ctx.session.flush()
    business_key = str(consultation_id) if consultation_id is not None else None
    record(ctx.session, ACTIONS[kind], ctx.actor.id, instance_id=ctx.instance.id,
           business_key=business_key,
           data={"lawyer_id": lawyer.id, "warning_id": row.id, "reason": row.reason,
                 "answer_id": row.answer_id, "status": lawyer.status})
    notify(ctx.session, lawyer.id, kind, link="/supervise/my-record", business_key=business_key,
           reason=row.reason)
    return row.id


@helper
def warn_lawyer(ctx, lawyer_id, reason, answer_id=None, consultation_id=None) -> int:
    """Warn a lawyer; the lawyer is notified and sees the warning."""
    return _sanction(ctx, WARN, _lawyer(ctx, lawyer_id), reason, answer_id, consultation_id)


@helper
def disqualify_lawyer(ctx, lawyer_id, reason, answer_id=None, consultation_id=None) -> int:
    """Take away the lawyer's resident status: no new work, and their open tasks go to the
    duty officers for reassignment, all in this transaction. They can still log in."""
    lawyer = _lawyer(ctx, lawyer_id)
    lawyer.status = DISQUALIFIED
    warning_id = _sanction(ctx, DISQUALIFY, lawyer, reason, answer_id, consultation_id)
    queue_tasks_of(ctx.session, lawyer.id, ctx.actor.id)
    return warning_id


@helper
def reinstate_lawyer(ctx, lawyer_id, reason) -> int:
    """Give a disqualified lawyer their resident status back."""
    lawyer = _lawyer(ctx, lawyer_id)
    lawyer.status = ACTIVE
    return _sanction(ctx, REINSTATE, lawyer, reason)
