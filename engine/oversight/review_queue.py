"""The supervisors' review queue: answers flagged by the solicitation scan and citizens'
complaints about conduct (their own act, not a rating). Each is dismissed or turned into a
case; a case starts the supervision process (a warning by default) in the same transaction."""
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.errors import N_, InvalidInput, NotFound, TaskConflict
from engine.models import Answer, AnswerReview, Complaint, User, utcnow
from engine.models.supervision import CASE_OPENED, DISMISSED, WARN
from engine.oversight.supervision import require_supervisor, sanction_in
from engine.uow import read_only, transaction

FLAG, COMPLAINT = "flag", "complaint"


@dataclass(frozen=True)
class ReviewItem:
    kind: str  # FLAG (id is the answer's) or COMPLAINT (id is the complaint's)
    id: int
    consultation_id: int
    answer_id: int | None
    lawyer_id: int | None
    text: str  # the flagged answer, or the citizen's complaint
    at: datetime
    reason: str = ""  # a complaint's reason (attitude, solicitation, misconduct, other)
    lawyer_name: str = ""  # who the supervisor is judging, by name

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class ReviewInfo:
    id: int
    outcome: str
    reason: str
    instance_id: int | None
    warning_id: int | None = None


def review_queue(session: Session, actor: Actor, limit: int = 200) -> list[ReviewItem]:
    """Unreviewed flags and complaints, oldest first."""
    require_supervisor(actor)
    flags = (select(Answer.id, Answer.consultation_id, Answer.author_id, Answer.text,
                    Answer.published_at)
             .outerjoin(AnswerReview, AnswerReview.answer_id == Answer.id)
             .where(Answer.flagged.is_(True), AnswerReview.id.is_(None))
             .order_by(Answer.published_at).limit(limit))
    complaints = (select(Complaint.id, Complaint.consultation_id, Complaint.lawyer_id,
                         Complaint.text, Complaint.created_at, Complaint.reason)
                  .outerjoin(AnswerReview, AnswerReview.complaint_id == Complaint.id)
                  .where(AnswerReview.id.is_(None))
                  .order_by(Complaint.created_at).limit(limit))
    with read_only(session):
        items = [ReviewItem(FLAG, a, c, a, who, text, at)
                 for a, c, who, text, at in session.execute(flags)]
        items += [ReviewItem(COMPLAINT, k, c, None, who, text, at, reason)
                  for k, c, who, text, at, reason in session.execute(complaints)]
        names = dict(session.execute(select(User.id, func.coalesce(
            func.nullif(User.display_name, ""), User.username)).where(
            User.id.in_({i.lawyer_id for i in items if i.lawyer_id}))).all())
    items = [replace(i, lawyer_name=names.get(i.lawyer_id, "")) for i in items]
    return sorted(items, key=lambda i: i.at)[:limit]


def dismiss_flag(session: Session, actor: Actor, answer_id: int, reason: str) -> ReviewInfo:
    """The flagged answer is fine (e.g. a court's public phone number)."""
    return _review(session, actor, FLAG, answer_id, reason, None)


def open_case(session: Session, actor: Actor, answer_id: int, reason: str,
              action: str = WARN) -> ReviewInfo:
    """The flagged answer breaks the rules: sanction its author (`action`, default warn)."""
    return _review(session, actor, FLAG, answer_id, reason, action)


def dismiss_complaint(session: Session, actor: Actor, complaint_id: int,
                      reason: str) -> ReviewInfo:
    """The complaint is unfounded."""
    return _review(session, actor, COMPLAINT, complaint_id, reason, None)


def open_complaint_case(session: Session, actor: Actor, complaint_id: int, reason: str,
                        action: str = WARN) -> ReviewInfo:
    """The complaint is founded: sanction the lawyer complained about."""
    return _review(session, actor, COMPLAINT, complaint_id, reason, action)


def _review(session: Session, actor: Actor, kind: str, item_id: int, reason: str,
            action: str | None) -> ReviewInfo:
    require_supervisor(actor)
    if not str(reason or "").strip():
        raise InvalidInput("必须填写理由", fields={"reason": [N_("必须填写此项")]})
    with transaction(session):
        consultation_id, answer_id, lawyer_id = _subject(session, kind, item_id)
        review = AnswerReview(answer_id=item_id if kind == FLAG else None,
                              complaint_id=item_id if kind == COMPLAINT else None,
                              outcome=CASE_OPENED if action else DISMISSED,
                              reason=reason.strip(), reviewed_by=actor.id, reviewed_at=utcnow())
        session.add(review)
        try:
            session.flush()
        except IntegrityError:
            raise TaskConflict("该条目已由其他监督人员处理") from None
        warning = None
        if action:
            if lawyer_id is None:
                raise InvalidInput("找不到承办律师，无法立案")
            warning = sanction_in(session, actor, action, lawyer_id, reason, answer_id,
                                  consultation_id)
            review.instance_id = warning.instance_id
        audit.record(session, f"review_{review.outcome}", actor.id,
                     business_key=str(consultation_id),
                     data={"kind": kind, "id": item_id, "reason": review.reason,
                           "action": action})
    return ReviewInfo(review.id, review.outcome, review.reason, review.instance_id,
                      warning.id if warning else None)


def _subject(session: Session, kind: str, item_id: int) -> tuple[int, int | None, int | None]:
    """(consultation id, answer id, lawyer id) of a queue item."""
    if kind == FLAG:
        answer = session.get(Answer, item_id)
        if answer is None or not answer.flagged:
            raise NotFound("该解答不在审查队列中")
        return answer.consultation_id, answer.id, answer.author_id
    complaint = session.get(Complaint, item_id)
    if complaint is None:
        raise NotFound("该投诉不在审查队列中")
    return complaint.consultation_id, None, complaint.lawyer_id
