"""A lawyer's (or expert's) own published answers with the citizen's rating, newest first."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import Answer, Consultation, Feedback
from engine.uow import read_only

ANSWERING_ROLES = frozenset({"lawyer", "expert"})


@dataclass(frozen=True)
class MyAnswer:
    consultation_id: int
    title: str
    kind: str  # answer, refusal, expert, expert_endorsement ...
    text: str
    published_at: datetime
    held: bool  # kept back for a supervisor's release
    satisfied: bool | None  # None: not rated (yet)
    comment: str
    rated_at: datetime | None


@dataclass(frozen=True)
class MyAnswersPage:
    rows: list[MyAnswer]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def my_answers(session: Session, actor: Actor, page: int = 1,
               per_page: int = 20) -> MyAnswersPage:
    """The answers `actor` wrote, newest first, each with the citizen's rating if given."""
    if actor.role not in ANSWERING_ROLES:
        raise NotAllowed("只有律师和专家可以查看自己的解答")
    page, per_page = max(1, page), min(max(1, per_page), 100)
    mine = Answer.author_id == actor.id
    query = (select(Answer.consultation_id, Consultation.title, Answer.kind, Answer.text,
                    Answer.published_at, Answer.held, Feedback.satisfied,
                    func.coalesce(Feedback.comment, ""), Feedback.created_at)
             .join(Consultation, Consultation.id == Answer.consultation_id)
             .outerjoin(Feedback, Feedback.answer_id == Answer.id)
             .where(mine)
             .order_by(Answer.published_at.desc(), Answer.id.desc(), Feedback.id.desc())
             .offset((page - 1) * per_page).limit(per_page))
    with read_only(session):
        total = session.scalar(select(func.count(Answer.id)).where(mine))
        rows = [MyAnswer(*r) for r in session.execute(query)]
    return MyAnswersPage(rows, total or 0, page, per_page)
