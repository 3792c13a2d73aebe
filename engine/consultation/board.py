"""The duty officers' board: every open consultation with its lawyer and next deadline."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session, aliased

from engine import access
from engine.actor import Actor
from engine.consultation.status import FINISHED
from engine.models import Consultation, HumanTask, User, utcnow
from engine.uow import read_only


@dataclass(frozen=True)
class BoardRow:
    id: int
    title: str
    category: str
    status: str
    created_at: datetime
    lawyer_id: int | None
    lawyer_name: str | None
    due_at: datetime | None  # the earliest deadline among the consultation's open tasks
    open_tasks: int
    overdue: bool


@dataclass(frozen=True)
class BoardPage:
    rows: list[BoardRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _open_tasks():
    return (select(HumanTask.business_key.label("key"), func.min(HumanTask.due_at).label("due"),
                   func.count().label("n"))
            .where(HumanTask.state == "ready", HumanTask.business_key.is_not(None))
            .group_by(HumanTask.business_key).subquery())


def open_consultations(session: Session, actor: Actor, status: str | None = None,
                       page: int = 1, per_page: int = 50) -> BoardPage:
    """Open consultations, the most urgent first (earliest open deadline, then oldest)."""
    access.require(actor, "read_board")
    page, per_page = max(1, page), min(max(1, per_page), 200)
    tasks, lawyer = _open_tasks(), aliased(User)
    where = [Consultation.status.not_in(FINISHED)]
    if status:
        where.append(Consultation.status == status)
    query = (select(Consultation.id, Consultation.title, Consultation.category,
                    Consultation.status, Consultation.created_at, Consultation.lawyer_id,
                    func.coalesce(lawyer.display_name, lawyer.username), tasks.c.due,
                    func.coalesce(tasks.c.n, 0))
             .outerjoin(tasks, tasks.c.key == cast(Consultation.id, String))
             .outerjoin(lawyer, lawyer.id == Consultation.lawyer_id)
             .where(*where)
             .order_by(tasks.c.due.is_(None), tasks.c.due, Consultation.created_at,
                       Consultation.id)
             .offset((page - 1) * per_page).limit(per_page))
    now = utcnow()
    with read_only(session):
        total = session.scalar(select(func.count(Consultation.id)).where(*where))
        rows = [BoardRow(*r, overdue=bool(r[7] and r[7] <= now))
                for r in session.execute(query)]
    return BoardPage(rows, total or 0, page, per_page)

