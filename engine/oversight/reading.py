"""What network supervisors read: every consultation (filtered, a page at a time) and the
lawyers they supervise, with their status, warnings and open work."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.audit.log import require_reader
from engine.consultation.visibility import ConsultationSummary
from engine.errors import NotFound
from engine.models import Consultation, HumanTask, Institution, LawyerWarning, User
from engine.uow import read_only

MAX_LIMIT = 200


@dataclass(frozen=True)
class ConsultationPage:
    rows: list[ConsultationSummary]
    lawyer_names: dict[int, str]
    next_before: int | None


@dataclass(frozen=True)
class LawyerInfo:
    id: int
    username: str
    name: str
    institution_id: int | None
    institution: str | None
    status: str
    warnings: int
    open_tasks: int


def search_consultations(session: Session, actor: Actor, status: str | None = None,
                         category: str | None = None, lawyer_id: int | None = None,
                         institution_id: int | None = None, start: datetime | None = None,
                         end: datetime | None = None, text: str | None = None,
                         before_id: int | None = None, limit: int = 50) -> ConsultationPage:
    """Consultations created in [start, end) matching every filter, newest first."""
    require_reader(actor)
    limit = max(1, min(int(limit), MAX_LIMIT))
    where = _filters(status, category, lawyer_id, institution_id, start, end, text)
    if before_id is not None:
        where.append(Consultation.id < before_id)
    query = select(Consultation).where(*where).order_by(Consultation.id.desc()).limit(limit + 1)
    with read_only(session):
        found = list(session.scalars(query))
        more, found = len(found) > limit, found[:limit]
        names = _names(session, {c.lawyer_id for c in found})
        rows = [ConsultationSummary.of(c) for c in found]
    return ConsultationPage(rows, names, rows[-1].id if more else None)


def _filters(status, category, lawyer_id, institution_id, start, end, text) -> list:
    where = []
    if status:
        where.append(Consultation.status == status)
    if category:
        where.append(Consultation.category == category)
    if lawyer_id is not None:
        where.append(Consultation.lawyer_id == lawyer_id)
    if institution_id is not None:
        where.append(Consultation.lawyer_id.in_(
            select(User.id).where(User.institution_id == institution_id)))
    if start is not None:
        where.append(Consultation.created_at >= start)
    if end is not None:
        where.append(Consultation.created_at < end)
    if text:
        where.append(or_(Consultation.title.contains(text, autoescape=True),
                         Consultation.question.contains(text, autoescape=True)))
    return where


def _names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {i: name or username for i, name, username in session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(ids)))}


def _lawyer_query():
    warnings = (select(func.count()).where(LawyerWarning.lawyer_id == User.id)
                .scalar_subquery())
    open_tasks = (select(func.count()).where(
        HumanTask.state == "ready",
        or_(HumanTask.assignee_id == User.id, HumanTask.claimed_by == User.id))
        .scalar_subquery())
    return (select(User.id, User.username, User.display_name, User.institution_id,
                   Institution.name, User.status, warnings, open_tasks)
            .outerjoin(Institution, Institution.id == User.institution_id)
            .where(User.role == "lawyer"))


def lawyers(session: Session, actor: Actor, institution_id: int | None = None,
            status: str | None = None) -> list[LawyerInfo]:
    """Resident lawyers by institution and name, with their warnings and open tasks."""
    require_reader(actor)
    query = _lawyer_query().order_by(Institution.name, User.display_name, User.id)
    if institution_id is not None:
        query = query.where(User.institution_id == institution_id)
    if status:
        query = query.where(User.status == status)
    with read_only(session):
        return [_lawyer(r) for r in session.execute(query)]


def lawyer(session: Session, actor: Actor, lawyer_id: int) -> LawyerInfo:
    """One resident lawyer; NotFound for any other user."""
    require_reader(actor)
    with read_only(session):
        row = session.execute(_lawyer_query().where(User.id == lawyer_id)).first()
    if row is None:
        raise NotFound("律师不存在")
    return _lawyer(row)


def institutions(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every institution, for filters."""
    with read_only(session):
        return [tuple(r) for r in session.execute(select(Institution.id, Institution.name)
                                                  .order_by(Institution.name))]


def _lawyer(r) -> LawyerInfo:
    uid, username, name, inst_id, inst, status, warnings, open_tasks = r
    return LawyerInfo(uid, username, name or username, inst_id, inst, status, warnings,
                      open_tasks)
