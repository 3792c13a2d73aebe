"""Helpers the consultation diagram calls: status, answers, feedback, breaches, closing."""
from sqlalchemy import select

from engine.consultation.helpers.common import (
    add_row,
    as_id,
    audit,
    consultation,
    deadline_of,
    send,
)
from engine.consultation.helpers.notifications import notify_role
from engine.consultation.notice_texts import CLOSE_DEADLINE_OF, close_reason
from engine.consultation.solicitation import scan
from engine.consultation.status import FINISHED, KEPT_WHEN_CLOSED, Status
from engine.consultation.visibility import INTERNAL_KINDS
from engine.errors import N_, InvalidInput, Message
from engine.models import (
    ACTIVE,
    Answer,
    Feedback,
    HumanTask,
    Referral,
    SlaBreach,
    User,
    utcnow,
)
from engine.workflow.script_helpers import helper

# Answer kind -> the status it gives the consultation (None: the status stays as it is).
# A lawyer's answers the citizen sees: their author must be in good standing when published.
SHOWN_AS_LAWYERS = frozenset({"answer", "refusal"})
FIELDS = {"refusal": "refusal_decision"}  # the form field a refused publication names
ANSWER_KINDS = {"answer": Status.ANSWERED, "refusal": Status.REFUSED, "expert": Status.ANSWERED,
                "expert_endorsement": Status.ANSWERED, "overruled_refusal": None}



@helper
def require(ctx, condition, field: str, message: str) -> None:
    """Refuse a task's data with a message on one form field unless `condition` holds."""
    if not condition:
        raise InvalidInput(message, fields={field: [message]})


@helper
def set_status(ctx, consultation_id, status: str) -> None:
    """Set what the citizen sees as the consultation's state."""
    try:
        status = Status(status)
    except ValueError:
        raise InvalidInput(f"未知的咨询状态：{status}") from None
    row = consultation(ctx, consultation_id)
    if row.status != status:
        audit(ctx, "status_changed", row, before=row.status, after=status)
        row.status = status
    if status in FINISHED and row.closed_at is None:
        row.closed_at = utcnow()


@helper
def mark_flags(ctx, consultation_id, sensitive=False, attention=False) -> list[str]:
    """Record the lawyer's sensitive / needs-attention flags on the consultation; return the
    flags newly set, so each is reported to the duty officers once per consultation."""
    row = consultation(ctx, consultation_id)
    new = [name for name, value in (("sensitive", sensitive), ("attention", attention))
           if value and not getattr(row, name)]
    for name in new:
        setattr(row, name, True)
    if new:
        audit(ctx, "flags_marked", row, flags=new)
    return new


@helper
def report_flags(ctx, consultation_id, sensitive=False, attention=False) -> list[str]:
    """Mark the lawyer's flags and tell the duty officers at once, in the transaction where the
    lawyer submits, whatever the decision; return the flags newly set."""
    new = mark_flags(ctx, consultation_id, sensitive, attention)
    for name in new:
        notify_role(ctx, "duty_officer", f"{name}_case", consultation_id)
    return new


@helper
def endorse_answer(ctx, consultation_id, expert_id=None) -> int:
    """The expert group approved the published answer: record the group's endorsement as its
    own entry (the answer itself is not sent again as new) and tell the citizen."""
    return publish_answer(ctx, consultation_id, "expert_endorsement", ENDORSEMENT, expert_id)


ENDORSEMENT = "专家组已审阅上述解答意见，认为意见正确，予以认可。"


@helper
def reject_consultation(ctx, consultation_id, reason: str) -> None:
    """Screening refused the question (不予受理): tell the citizen why and where to go."""
    row = consultation(ctx, consultation_id)
    row.status, row.screening_reason, row.closed_at = Status.REJECTED, reason, utcnow()
    audit(ctx, "consultation_rejected", row, reason=reason)
    send(ctx, row.citizen_id, "rejected", row, reason)


def seconds_between(start, end) -> int | None:
    """Whole seconds from `start` to `end` (both truncated to the second), None if unknown."""
    if start is None or end is None or end < start:
        return None
    return int(end.timestamp()) - int(start.timestamp())


@helper
def check_touting(ctx, text, keep=False, field: str = "answer_text") -> bool:
    """The solicitation scan on submit: refuse the text with the findings on `field`, unless
    the author chose to keep it (a court's public number, say); then it is held for a
    supervisor's release. Returns whether the text is held."""
    reasons = scan(str(text or ""))
    if reasons and not keep:
        message = Message("疑似招揽或留联系方式：{reasons}。请修改；确需保留的，请勾选“保留”，"
                          "由网络监督人员审核后发布", reasons=tuple(reasons))
        raise InvalidInput(message, fields={field: [message]})
    return bool(reasons)


@helper
def release_answer(ctx, consultation_id, answer_id) -> None:
    """A supervisor found the held answer acceptable: the citizen sees it now."""
    row = consultation(ctx, consultation_id)
    answer = _held(ctx, row, answer_id)
    answer.held = False
    audit(ctx, "answer_released", row, answer_id=answer.id)
    send(ctx, row.citizen_id, "answer_published", row)


@helper
def withhold_answer(ctx, consultation_id, answer_id, reason: str = "") -> None:
    """A supervisor refused the held answer: it stays hidden and its author is told why."""
    row = consultation(ctx, consultation_id)
    answer = _held(ctx, row, answer_id)
    audit(ctx, "answer_withheld", row, answer_id=answer.id, reason=reason or "")
    send(ctx, answer.author_id, "answer_withheld", row, reason or "")


def _held(ctx, row, answer_id) -> Answer:
    answer = ctx.session.get(Answer, as_id(answer_id))
    if answer is None or answer.consultation_id != row.id or not answer.held:
        raise InvalidInput("该解答不在待审核状态")
    return answer


@helper
def publish_answer(ctx, consultation_id, kind: str, text: str, author_id=None, drafter_id=None,
                   approver_id=None, held=False) -> int:
    """Publish an answer, a refusal with guidance, or an expert's answer; return its id. A held
    answer is recorded but reaches the citizen only when a supervisor releases it."""
    if kind not in ANSWER_KINDS:
        raise InvalidInput(f"未知的答复类型：{kind}")
    if not (text or "").strip():
        raise InvalidInput("答复内容不能为空", fields={"answer_text": [N_("必须填写此项")]})
    row = consultation(ctx, consultation_id)
    if kind in SHOWN_AS_LAWYERS and not _in_good_standing(ctx, author_id):
        # e.g. a refusal confirmed after its lawyer was disqualified: never under his name
        message = N_("该律师已不在岗或已被取消驻场资格，其意见不能发布，请另派律师解答")
        raise InvalidInput(message, fields={FIELDS.get(kind, "decision"): [message]})
    reasons = scan(text)
    people = dict(author_id=as_id(author_id), drafter_id=as_id(drafter_id),
                  approver_id=as_id(approver_id))
    published_at = utcnow()
    answer_id = add_row(ctx, Answer, consultation_id=row.id, kind=kind, text=text, **people,
                        round=row.round, flagged=bool(reasons), held=bool(held),
                        published_at=published_at)
    audit(ctx, "answer_published", row, answer_id=answer_id, kind=kind, round=row.round,
          **people)
    if reasons:
        audit(ctx, "answer_flagged", row, answer_id=answer_id, reasons=reasons)
    if kind in INTERNAL_KINDS or held:
        return answer_id
    if row.answered_at is None:
        row.answered_at = published_at
        row.seconds_to_answer = seconds_between(row.notified_at, row.answered_at)
    row.status = ANSWER_KINDS[kind]
    send(ctx, row.citizen_id, "answer_published", row)
    return answer_id


def _in_good_standing(ctx, user_id) -> bool:
    user = ctx.session.get(User, as_id(user_id)) if as_id(user_id) is not None else None
    return user is not None and user.role == "lawyer" and user.status == ACTIVE


@helper
def record_feedback(ctx, consultation_id, satisfied, comment: str = "",
                    wants_referral=False) -> int:
    """Store the citizen's rating of the latest answer; dissatisfaction opens a new round."""
    row = consultation(ctx, consultation_id)
    answer_id = ctx.session.scalar(select(Answer.id).where(Answer.consultation_id == row.id)
                                   .order_by(Answer.id.desc()).limit(1))
    feedback_id = add_row(ctx, Feedback, consultation_id=row.id, answer_id=answer_id,
                          satisfied=bool(satisfied), comment=comment or "",
                          wants_referral=bool(wants_referral), round=row.round,
                          created_at=utcnow())
    audit(ctx, "feedback_recorded", row, feedback_id=feedback_id, satisfied=bool(satisfied),
          wants_referral=bool(wants_referral), round=row.round)
    if not satisfied:
        row.round += 1
    return feedback_id


@helper
def record_breach(ctx, consultation_id, stage: str, user_id=None) -> int:
    """A deadline passed: remember the stage and who held the work. Someone no longer active
    held nothing when time ran out (disqualifying or disabling a person takes every piece of
    their work from them at once), nor did someone reinstated since whose work was not given
    back: a task taken from them still waiting in the reassignment queue, an offline
    engagement whose handler they no longer are. The breach is then charged to no one: the
    work was waiting in a queue or with an institution, and the audit row says whom it left."""
    row = consultation(ctx, consultation_id)
    user_id, released = as_id(user_id), {}
    if user_id is not None and (not _active(ctx, user_id) or _released(ctx, user_id)):
        user_id, released = None, {"released_from": user_id}
    breach_id = add_row(ctx, SlaBreach, consultation_id=row.id, stage=stage, user_id=user_id,
                        recorded_at=utcnow())
    audit(ctx, "sla_breach", row, stage=stage, user_id=user_id, **released)
    return breach_id


def _active(ctx, user_id: int) -> bool:
    user = ctx.session.get(User, user_id)
    return user is not None and user.status == ACTIVE


def _released(ctx, user_id: int) -> bool:
    """The work of this instance left `user_id` (engine.consultation.reassign.queue_tasks_of):
    a task taken from them still waits for a duty officer to reassign it, or this offline
    engagement's record names another handler, or none, since they were released from it."""
    instance_id = ctx.instance.id
    queued = select(HumanTask.id).where(
        HumanTask.instance_id == instance_id, HumanTask.state == "ready",
        HumanTask.reassign_from == user_id)
    handler = select(Referral.handler_id).where(Referral.instance_id == instance_id)
    if ctx.session.scalar(queued.limit(1)) is not None:
        return True
    referrals = ctx.session.execute(handler).all()
    return bool(referrals) and all(r.handler_id != user_id for r in referrals)


@helper
def close_consultation(ctx, consultation_id, reason: str = "") -> None:
    """End the consultation and tell the citizen."""
    row = consultation(ctx, consultation_id)
    if row.status not in KEPT_WHEN_CLOSED:
        row.status = Status.CLOSED
    row.closed_at = utcnow()
    audit(ctx, "consultation_closed", row, reason=reason or "")
    deadline = deadline_of(ctx, CLOSE_DEADLINE_OF.get(reason), row)
    send(ctx, row.citizen_id, "closed", row, close_reason(reason, deadline))
