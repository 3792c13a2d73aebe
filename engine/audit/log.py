"""The audit log as supervisors read it: filtered, newest first, a page at a time.

Pages are keyset-paginated on the primary key (`before_id`), so the 1,000th page costs what
the first does; every filter is on an indexed column (actor_id, action, at, business_key,
instance_id) or a subquery on one.

A lawyer filter matches what the lawyer did (the row's actor) and what was done about them
(the subject): events on the consultations assigned to them and the supervision processes
that warned, disqualified or reinstated them. An institution filter does the same for all of
its members.
"""
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.models import AuditEvent, Consultation, HumanTask, LawyerWarning, User
from engine.uow import read_only

MAX_LIMIT = 500


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: int | None
    actor_name: str
    action: str
    instance_id: int | None
    task_id: str | None
    task_key: str | None
    business_key: str | None
    data: dict
    task_name: str | None = None  # the task's name in its diagram, for people

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    next_before: int | None  # pass as before_id for the next (older) page; None at the end


def require_reader(actor: Actor) -> None:
    """Only who holds `read_audit` (supervisors, administrators) reads the trail."""
    access.require(actor, "read_audit")


def _about(people) -> object:
    """Rows done by, or about, the users selected by `people` (a subquery of user ids)."""
    consultations = select(cast(Consultation.id, String)).where(
        Consultation.lawyer_id.in_(people))
    sanctions = select(LawyerWarning.instance_id).where(LawyerWarning.lawyer_id.in_(people),
                                                        LawyerWarning.instance_id.is_not(None))
    return or_(AuditEvent.actor_id.in_(people), AuditEvent.business_key.in_(consultations),
               AuditEvent.instance_id.in_(sanctions))


def _filters(lawyer_id, institution_id, start, end, action) -> list:
    where = []
    if lawyer_id is not None:
        where.append(_about(select(User.id).where(User.id == lawyer_id)))
    if institution_id is not None:
        where.append(_about(select(User.id).where(User.institution_id == institution_id)))
    if start is not None:
        where.append(AuditEvent.at >= start)
    if end is not None:
        where.append(AuditEvent.at < end)
    if action:
        where.append(AuditEvent.action == action)
    return where


def search(session: Session, actor: Actor, lawyer_id: int | None = None,
           institution_id: int | None = None, start: datetime | None = None,
           end: datetime | None = None, action: str | None = None,
           before_id: int | None = None, limit: int = 100) -> AuditPage:
    """One page of audit rows matching every given filter, newest first."""
    require_reader(actor)
    limit = max(1, min(int(limit), MAX_LIMIT))
    query = select(AuditEvent).where(*_filters(lawyer_id, institution_id, start, end, action))
    if before_id is not None:
        query = query.where(AuditEvent.id < before_id)
    query = query.order_by(AuditEvent.id.desc()).limit(limit + 1)
    with read_only(session):
        rows = list(session.scalars(query))
        more, rows = len(rows) > limit, rows[:limit]
        names = dict(session.execute(select(User.id, User.display_name).where(
            User.id.in_({r.actor_id for r in rows if r.actor_id is not None}))).all())
        task_names = dict(session.execute(select(HumanTask.id, HumanTask.name).where(
            HumanTask.id.in_({r.task_id for r in rows if r.task_id}))).all())
        entries = [AuditEntry(r.id, r.at, r.actor_id, names.get(r.actor_id) or "系统", r.action,
                              r.instance_id, r.task_id, r.task_key, r.business_key,
                              dict(r.data or {}),
                              task_names.get(r.task_id))
                   for r in rows]
    return AuditPage(entries, entries[-1].id if more else None)


def actions(session: Session, actor: Actor) -> list[str]:
    """Every action name in the log (for the filter's choices), alphabetically."""
    require_reader(actor)
    with read_only(session):
        return list(session.scalars(select(AuditEvent.action).distinct()
                                    .order_by(AuditEvent.action)))
