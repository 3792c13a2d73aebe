"""A citizen's complaint about the conduct of the people who handled their consultation.

The rules make the supervisors judge conduct (态度、招揽、违规); a rating says whether an
answer helped. So a complaint is its own act with its own reason, and only complaints reach
the supervisors' review queue as complaints; a dissatisfied rating goes to the duty officers'
callback instead.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.errors import N_, InvalidInput, Message, NotAllowed, NotFound
from engine.models import Consultation, Notification, User, utcnow
from engine.models.supervision import COMPLAINT_REASONS, Complaint
from engine.notifications.outbox import stored_texts
from engine.uow import transaction

MAX_TEXT = 2000


@dataclass(frozen=True)
class ComplaintInfo:
    id: int
    consultation_id: int
    lawyer_id: int | None
    reason: str


def file_complaint(session: Session, actor: Actor, consultation_id: int, reason: str,
                   text: str) -> ComplaintInfo:
    """The consultation's citizen complains about its lawyer's conduct; supervisors are told."""
    if actor.role != "citizen":
        raise NotAllowed("只有咨询人本人可以投诉")
    reason, text = str(reason or ""), str(text or "").strip()
    errors = {}
    if reason not in COMPLAINT_REASONS:
        errors["reason"] = [N_("请选择投诉事由")]
    if not text:
        errors["text"] = [N_("请写明投诉的具体情况")]
    elif "\x00" in text:
        errors["text"] = [N_("含有不允许的字符")]
    elif len(text) > MAX_TEXT:
        errors["text"] = [Message("不能超过 {n} 个字", n=MAX_TEXT)]
    if errors:
        raise InvalidInput("投诉内容不完整", fields=errors)
    with transaction(session):
        row = session.get(Consultation, consultation_id)
        if row is None or row.citizen_id != actor.id:
            raise NotFound("咨询不存在")
        complaint = Complaint(consultation_id=row.id, citizen_id=actor.id,
                              lawyer_id=row.lawyer_id, reason=reason, text=text,
                              created_at=utcnow())
        session.add(complaint)
        session.flush()
        audit.record(session, "complaint_filed", actor.id, business_key=str(row.id),
                     data={"complaint_id": complaint.id, "reason": reason,
                           "lawyer_id": row.lawyer_id})
        _tell_supervisors(session, row, complaint)
    return ComplaintInfo(complaint.id, row.id, row.lawyer_id, reason)


def _tell_supervisors(session: Session, row: Consultation, complaint: Complaint) -> None:
    supervisors = session.scalars(select(User.id).where(User.role == "supervisor",
                                                        User.status == "active"))
    subject = Message(N_("咨询人投诉：{title}"), title=row.title)
    body = Message(N_("咨询人对咨询（编号 {id}）的办理人员提出投诉，请在审查队列中处理。"),
                   id=row.id)
    for user_id in supervisors:
        session.add(Notification(
            user_id=user_id, kind="complaint_filed", business_key=str(row.id),
            subject=subject[:200], body=str(body), message=stored_texts(subject, body),
            link="/supervise/review", created_at=utcnow()))
