"""Who does the work: picking and assigning lawyers, checking delegates."""
from sqlalchemy import func, or_, select

from engine.errors import InvalidInput, NoLawyerAvailable
from engine.models import Answer, HumanTask, Institution, SlaBreach, User, utcnow

from . import helper
from .common import as_id, as_ids, audit, consultation, send

DELEGATE_ROLES = ("staff", "lawyer")


def active_lawyers():
    """Active lawyers whose institution (if any) is active too."""
    return (select(User).outerjoin(Institution, User.institution_id == Institution.id)
            .where(User.role == "lawyer", User.status == "active",
                   or_(User.institution_id.is_(None), Institution.active.is_(True))))


def open_work(session, user_ids: list[int]) -> dict[int, int]:
    """Ready inbox tasks assigned to each user."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(HumanTask.assignee_id, func.count()).where(
            HumanTask.state == "ready", HumanTask.assignee_id.in_(user_ids))
        .group_by(HumanTask.assignee_id))
    return {uid: n for uid, n in rows}


def _worked_on(session, consultation_id: int) -> set[int]:
    """Lawyers who already answered, refused or let the deadline pass on this consultation."""
    authors = session.scalars(select(Answer.author_id).where(
        Answer.consultation_id == consultation_id, Answer.kind.in_(("answer", "refusal"))))
    late = session.scalars(select(SlaBreach.user_id).where(
        SlaBreach.consultation_id == consultation_id, SlaBreach.stage.like("answer%")))
    return {i for i in [*authors, *late] if i is not None}


@helper
def find_lawyer(ctx, consultation_id, category: str | None = None, exclude=None) -> int | None:
    """The active lawyer to answer (category expertise first, then least open work, then id);
    None when nobody qualifies, so the diagram can hand the choice to a duty officer."""
    row = consultation(ctx, consultation_id)
    category = category or row.category
    excluded = as_ids(exclude) | _worked_on(ctx.session, row.id)
    lawyers = [u for u in ctx.session.scalars(active_lawyers())
               if u.id not in excluded]
    if not lawyers:
        return None
    work = open_work(ctx.session, [u.id for u in lawyers])
    best = min(lawyers, key=lambda u: (category not in (u.categories or []),
                                       work.get(u.id, 0), u.id))
    return best.id


@helper
def pick_lawyer(ctx, consultation_id, category: str | None = None, exclude=None) -> int:
    """Like find_lawyer, but raises NoLawyerAvailable when nobody qualifies."""
    lawyer_id = find_lawyer(ctx, consultation_id, category, exclude)
    if lawyer_id is None:
        raise NoLawyerAvailable("暂无可分配的驻场律师，请值班人员人工安排")
    return lawyer_id


@helper
def assign_lawyer(ctx, consultation_id, lawyer_id) -> int:
    """Give the consultation to a lawyer and send them the 留言通知."""
    row = consultation(ctx, consultation_id)
    lawyer_id = as_id(lawyer_id)
    allowed = ctx.session.scalar(active_lawyers().where(User.id == lawyer_id))
    if allowed is None:
        raise InvalidInput("只能分配给在岗的驻场律师",
                           fields={"next_lawyer_id": ["该律师不在岗或已被取消驻场资格"]})
    row.lawyer_id, row.notified_at, row.status = lawyer_id, utcnow(), "assigned"
    audit(ctx, "lawyer_assigned", row, lawyer_id=lawyer_id, round=row.round)
    send(ctx, lawyer_id, "task_assigned", row)
    return lawyer_id


@helper
def check_assignee(ctx, user_id, role: str, exclude=None, field: str = "assignee") -> int | None:
    """A chosen person must be active in `role` and not excluded; empty means "pick for me"."""
    uid = as_id(user_id)
    if uid is None:
        return None
    query = active_lawyers() if role == "lawyer" else select(User).where(
        User.role == role, User.status == "active")
    user = ctx.session.scalar(query.where(User.id == uid))
    if user is None:
        message = "该人员不在岗或无此资格"
        raise InvalidInput(message, fields={field: [message]})
    if uid in as_ids(exclude):
        message = "该律师已解答过或未按时解答本咨询，请另选"
        raise InvalidInput(message, fields={field: [message]})
    return uid


@helper
def check_member(ctx, user_id, institution_id, field: str = "handler_id") -> int | None:
    """A named person must be an active member of the institution; empty passes."""
    uid = as_id(user_id)
    if uid is None:
        return None
    user = ctx.session.get(User, uid)
    if user is None or user.status != "active" or user.institution_id != as_id(institution_id):
        message = "只能指定本机构在岗的人员"
        raise InvalidInput(message, fields={field: [message]})
    return uid


@helper
def check_delegate(ctx, lawyer_id, delegate_to) -> int:
    """The colleague's id, if they may draft for the lawyer; else a field error."""
    lawyer = ctx.session.get(User, as_id(lawyer_id)) if as_id(lawyer_id) else None
    delegate_id = as_id(delegate_to)
    if delegate_id is None and isinstance(delegate_to, str) and delegate_to.strip():
        delegate_id = ctx.session.scalar(select(User.id).where(
            User.username == delegate_to.strip()))
    delegate = ctx.session.get(User, delegate_id) if delegate_id else None

    def refuse(message: str):
        raise InvalidInput(message, fields={"delegate_to": [message]})

    if delegate is None:
        refuse("请填写要委托的同事")
    if lawyer is not None and delegate.id == lawyer.id:
        refuse("不能委托给自己")
    institution = ctx.session.get(Institution, delegate.institution_id or 0)
    if (lawyer is None or lawyer.institution_id is None
            or delegate.institution_id != lawyer.institution_id
            or delegate.role not in DELEGATE_ROLES or delegate.status != "active"
            or institution is None or not institution.active):
        refuse("只能委托本机构的同事")
    return delegate.id


@helper
def institution_of(ctx, user_id) -> int | None:
    """The institution a user belongs to, or None."""
    uid = as_id(user_id)
    user = ctx.session.get(User, uid) if uid is not None else None
    return user.institution_id if user is not None else None
