"""What each role may see of a consultation: visibility, answers and the timeline."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, and_, cast, exists, false, or_, select, true
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.consultation.facts import answer_deadline, hours
from engine.models import Consultation, HumanTask, User

TASK_ROLES = frozenset({"lawyer", "staff", "expert"})
# What a citizen's timeline shows: what happened to their question, not the back office.
CITIZEN_ACTIONS = frozenset({"consultation_submitted", "consultation_rejected", "lawyer_assigned",
                             "answer_published", "feedback_recorded", "consultation_closed",
                             "referral_updated"})

# Answer kinds kept on record for the back office and supervisors, never shown to the citizen.
INTERNAL_KINDS = frozenset({"overruled_refusal"})


@dataclass(frozen=True)
class AnswerView:
    id: int
    kind: str
    text: str
    author_id: int | None
    author_name: str
    published_at: datetime
    round: int
    drafter_id: int | None = None
    drafter_name: str | None = None
    approver_id: int | None = None
    approver_name: str | None = None
    flagged: bool | None = None


@dataclass(frozen=True)
class TimelineEntry:
    action: str
    at: datetime
    actor_name: str
    task_name: str | None = None
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class ConsultationSummary:
    id: int
    title: str
    category: str
    status: str
    created_at: datetime
    answered_at: datetime | None
    lawyer_id: int | None

    @classmethod
    def of(cls, r: Consultation) -> "ConsultationSummary":
        return cls(r.id, r.title, r.category, r.status, r.created_at, r.answered_at, r.lawyer_id)


@dataclass(frozen=True)
class ConsultationDetail:
    id: int
    title: str
    question: str
    category: str
    case_status: str
    vulnerable: bool
    district: str | None
    status: str
    screening_reason: str | None
    round: int
    lawyer_id: int | None
    lawyer_name: str | None
    created_at: datetime
    answered_at: datetime | None
    closed_at: datetime | None
    contact_phone: str | None  # only for the citizen and the roles that see contacts
    sensitive: bool | None
    attention: bool | None
    answers: list[AnswerView]
    timeline: list[TimelineEntry]
    referral: object | None = None  # engine.consultation.referral_view.ReferralView
    # The answer deadline, in hours, of the process version the consultation runs on.
    answer_hours: float | None = None


def visible(actor: Actor):
    """A filter on Consultation: the rows `actor` may see."""
    if access.can(actor, "read_all_consultations"):
        return true()
    if actor.role == "citizen":
        return Consultation.citizen_id == actor.id
    if actor.role not in TASK_ROLES or actor.id is None:
        return false()
    mine = or_(HumanTask.assignee_id == actor.id, HumanTask.claimed_by == actor.id,
               HumanTask.completed_by == actor.id,
               and_(HumanTask.assignee_id.is_(None), HumanTask.role == actor.role,
                    HumanTask.institution_id.is_not(None),
                    HumanTask.institution_id == actor.institution_id))
    had_task = exists().where(HumanTask.business_key == cast(Consultation.id, String), mine)
    return or_(Consultation.lawyer_id == actor.id, had_task)


def _names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.display_name, User.username)
                           .where(User.id.in_(ids)))
    return {i: (name or username) for i, name, username in rows}


def _answers(answers: list, actor: Actor) -> list:
    """Published answers the actor may see: a citizen, not the refusals a duty officer
    overruled, nor touting text a supervisor has not released."""
    if actor.role == "citizen":
        return [a for a in answers if a.kind not in INTERNAL_KINDS and not a.held]
    return answers


def _answer_views(answers: list, names: dict[int, str],
                  actor: Actor) -> list[AnswerView]:
    """The citizen sees the author, the back office also drafter and approver."""
    internal, supervising = actor.role != "citizen", access.can(actor, "read_contact")
    return [AnswerView(
        a.id, a.kind, a.text, a.author_id, names.get(a.author_id, ""), a.published_at, a.round,
        drafter_id=a.drafter_id if internal else None,
        drafter_name=names.get(a.drafter_id) if internal else None,
        approver_id=a.approver_id if internal else None,
        approver_name=names.get(a.approver_id) if internal else None,
        flagged=a.flagged if supervising else None) for a in answers]


def _events(events: list, actor: Actor) -> list:
    """The audit trail of the consultation; citizens see only what concerns them."""
    if actor.role == "citizen":
        return [e for e in events if e.action in CITIZEN_ACTIONS
                or (e.action == "complete" and e.actor_id == actor.id)]
    return events


def _timeline(session: Session, events: list, names: dict[int, str],
              actor: Actor) -> list[TimelineEntry]:
    task_ids = {e.task_id for e in events if e.task_id}
    task_names = dict(session.execute(select(HumanTask.id, HumanTask.name)
                                      .where(HumanTask.id.in_(task_ids))).all()) if task_ids else {}
    with_data = access.can(actor, "read_contact")
    return [TimelineEntry(e.action, e.at, names.get(e.actor_id, "系统"),
                          task_names.get(e.task_id, e.task_key) if e.task_id else None,
                          dict(e.data or {}) if with_data else {}) for e in events]


def detail_of(session: Session, row, actor: Actor, answers: list, events: list,
              referral=None) -> ConsultationDetail:
    """The consultation as `actor` may see it, from its row (with `version_id`, the version
    its instance runs on, None: the latest, for the answer deadline), its answers and audit
    events (engine.statements.consultation_view). The people named anywhere in it are read
    at once."""
    answers, events = _answers(answers, actor), _events(events, actor)
    names = _names(session, [row.lawyer_id, *(e.actor_id for e in events),
                             *(i for a in answers for i in (a.author_id, a.drafter_id,
                                                            a.approver_id))])
    sees_contact = access.can(actor, "read_contact") or actor.id == row.citizen_id
    internal = actor.role != "citizen"
    return ConsultationDetail(
        row.id, row.title, row.question, row.category, row.case_status, row.vulnerable,
        row.district, row.status, row.screening_reason, row.round, row.lawyer_id,
        names.get(row.lawyer_id), row.created_at, row.answered_at, row.closed_at,
        contact_phone=row.contact_phone if sees_contact else None,
        sensitive=row.sensitive if internal else None,
        attention=row.attention if internal else None,
        answers=_answer_views(answers, names, actor),
        timeline=_timeline(session, events, names, actor), referral=referral,
        answer_hours=hours(answer_deadline(session, row.version_id)))
