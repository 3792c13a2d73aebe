"""Who may take a piece of consultation work: one rule per kind of work.

Assignment (the diagram's helpers), reassignment and the reassignment picker all ask
`problem()`; the picker lists exactly the people for whom it has no objection.
- answering (answer_consultation, review_draft): an active lawyer who has not already
  answered, refused or let the deadline pass on this consultation;
- delegated work (draft_answer, review_draft): stays within the delegating lawyer's
  institution (the answer is published under a lawyer who guided it);
- a task bound to an institution (e.g. a referral): a member of that institution;
- citizens' steps are never handed to anyone else.
"""
from dataclasses import dataclass, field

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from engine import access
from engine.errors import N_
from engine.models import Answer, SlaBreach, User

ANSWER_WORK = frozenset({"answer_consultation", "review_draft"})  # held under `lawyer_id`
DELEGATED_WORK = frozenset({"draft_answer", "review_draft"})
DRAFTER_ROLES = frozenset({"staff", "lawyer"})  # who may draft for a lawyer (check_delegate)
CITIZEN = "citizen"


@dataclass(frozen=True)
class Work:
    """A piece of work as eligibility sees it."""

    key: str  # the task's BPMN id
    roles: frozenset[str]
    consultation_id: int | None = None
    institution_id: int | None = None  # the institution the work must stay in
    answered: frozenset[int] = field(default_factory=frozenset)  # may not answer it again
    taken_from: frozenset[int] = field(default_factory=frozenset)  # whom it was taken from


def previous_answerers(session: Session, consultation_id: int | None) -> set[int]:
    """Lawyers who answered or refused this consultation, or let its deadline pass."""
    if consultation_id is None:
        return set()
    query = union(
        select(Answer.author_id).where(Answer.consultation_id == consultation_id,
                                       Answer.kind.in_(("answer", "refusal")),
                                       Answer.author_id.is_not(None)),
        select(SlaBreach.user_id).where(SlaBreach.consultation_id == consultation_id,
                                        SlaBreach.stage.like("answer%"),
                                        SlaBreach.user_id.is_not(None)))
    return set(session.scalars(query))


def answer_work(session: Session, consultation_id: int, also_answered=()) -> Work:
    """Answering a consultation (first answer or re-answer)."""
    answered = previous_answerers(session, consultation_id) | set(also_answered)
    return Work("answer_consultation", frozenset({"lawyer"}), consultation_id,
                answered=frozenset(answered))


def problem(session: Session, work: Work, user: User | None) -> str | None:
    """Why `user` may not take `work`, or None when they may."""
    if CITIZEN in work.roles:
        return N_("咨询人的步骤不能改派给他人")
    if user is None or user.role not in work.roles:
        return N_("请选择该任务对应角色的人员")
    if not access.user_in_standing(session, user.id):
        return N_("该人员不在岗或已被取消驻场资格")
    if work.institution_id is not None and user.institution_id != work.institution_id:
        if work.key in DELEGATED_WORK:
            return N_("起草和审核只能由委托律师所在机构的人员承担")
        return N_("该任务只能由指定机构的人员处理")
    if user.id in work.taken_from:
        return N_("请选择另一位人员")
    if user.id in work.answered:
        return N_("该律师已解答过或未按时解答本咨询，不能再次承办")
    return None


def eligible_people(session: Session, work: Work) -> list[User]:
    """Everyone `problem()` accepts for the work, by name: what a picker offers."""
    if CITIZEN in work.roles:
        return []
    query = select(User).where(User.role.in_(work.roles)).order_by(User.display_name, User.id)
    if work.institution_id is not None:
        query = query.where(User.institution_id == work.institution_id)
    return [u for u in session.scalars(query) if problem(session, work, u) is None]
