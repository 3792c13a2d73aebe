"""The duty officers' board: every open consultation with its lawyer, flags and next deadline.

One statement for the page and one for the count, whatever the number of open consultations:
the next deadline is an aggregate over the ready tasks, the held flag an EXISTS, the lawyer a
join (no query per row).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import String, cast, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from engine import access
from engine.actor import Actor
from engine.consultation.status import FINISHED
from engine.errors import InvalidInput
from engine.models import Answer, Consultation, HumanTask, User, utcnow
from engine.uow import read_only

FLAGS = ("sensitive", "attention", "held")  # held: an answer waits for a supervisor's release
MAX_SEARCH = 100


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
    sensitive: bool
    attention: bool
    held: bool
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


_HELD = exists().where(Answer.consultation_id == Consultation.id, Answer.held.is_(True))


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _filters(lawyer, status: str | None, flag: str | None, search: str | None) -> list:
    if flag is not None and flag not in FLAGS:
        raise InvalidInput("未知的标记", fields={"flag": [f"可选：{'、'.join(FLAGS)}"]})
    search = (search or "").strip()
    if len(search) > MAX_SEARCH:
        raise InvalidInput("搜索词过长", fields={"q": [f"最多 {MAX_SEARCH} 个字"]})
    where = [Consultation.status.not_in(FINISHED)]
    if status:
        where.append(Consultation.status == status)
    if flag == "held":
        where.append(_HELD)
    elif flag:
        where.append(getattr(Consultation, flag).is_(True))
    if search:
        pattern = _like(search)
        matches = [Consultation.title.ilike(pattern, escape="\\"),
                   lawyer.display_name.ilike(pattern, escape="\\"),
                   lawyer.username.ilike(pattern, escape="\\")]
        number = search.lstrip("#")
        if number.isdigit() and len(number) < 10:
            matches.append(Consultation.id == int(number))
        where.append(or_(*matches))
    return where


def open_consultations(session: Session, actor: Actor, status: str | None = None,
                       page: int = 1, per_page: int = 50, flag: str | None = None,
                       search: str | None = None) -> BoardPage:
    """Open consultations, the most urgent first (earliest open deadline, then oldest),
    optionally of one status, with one flag, or matching a number, title or lawyer."""
    access.require(actor, "read_board")
    page, per_page = max(1, page), min(max(1, per_page), 200)
    tasks, lawyer = _open_tasks(), aliased(User)
    where = _filters(lawyer, status, flag, search)
    query = (select(Consultation.id, Consultation.title, Consultation.category,
                    Consultation.status, Consultation.created_at, Consultation.lawyer_id,
                    func.coalesce(lawyer.display_name, lawyer.username), tasks.c.due,
                    func.coalesce(tasks.c.n, 0), Consultation.sensitive,
                    Consultation.attention, _HELD.label("held"))
             .outerjoin(tasks, tasks.c.key == cast(Consultation.id, String))
             .outerjoin(lawyer, lawyer.id == Consultation.lawyer_id)
             .where(*where)
             .order_by(tasks.c.due.is_(None), tasks.c.due, Consultation.created_at,
                       Consultation.id)
             .offset((page - 1) * per_page).limit(per_page))
    counted = (select(func.count(Consultation.id))
               .outerjoin(lawyer, lawyer.id == Consultation.lawyer_id).where(*where))
    now = utcnow()
    with read_only(session):
        total = session.scalar(counted)
        rows = [BoardRow(*r[:9], bool(r[9]), bool(r[10]), bool(r[11]),
                         overdue=bool(r[7] and r[7] <= now))
                for r in session.execute(query)]
    return BoardPage(rows, total or 0, page, per_page)
