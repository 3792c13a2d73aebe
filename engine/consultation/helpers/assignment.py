"""Who does the work: picking and assigning lawyers, checking delegates."""
from sqlalchemy import select

from engine.consultation import eligibility
from engine.consultation.helpers.common import as_id, as_ids, audit, consultation
from engine.consultation.status import Status
from engine.errors import N_, InvalidInput
from engine.models import Institution, User, utcnow
from engine.statements import user_account
from engine.workflow.script_helpers import helper

DELEGATE_ROLES = ("staff", "lawyer")



@helper
def find_lawyer(ctx, consultation_id, category: str | None = None, exclude=None) -> int | None:
    """The active lawyer to answer (category expertise first, then least open work, then id);
    None when nobody qualifies, so the diagram can hand the choice to a duty officer."""
    row = consultation(ctx, consultation_id)
    category = category or row.category
    excluded = as_ids(exclude)
    found = ctx.session.execute(user_account.CANDIDATES, {"consultation_id": row.id})
    lawyers = [c for c in found if c.id not in excluded]
    if not lawyers:
        return None
    best = min(lawyers, key=lambda c: (category not in (c.categories or []), c.open_tasks, c.id))
    return best.id


@helper
def assign_lawyer(ctx, consultation_id, lawyer_id) -> int:
    """Give the consultation to a lawyer (the 留言通知 is the notice of their new task,
    engine.consultation.task_notices)."""
    row = consultation(ctx, consultation_id)
    lawyer_id = as_id(lawyer_id)
    user = ctx.session.get(User, lawyer_id) if lawyer_id is not None else None
    reason = eligibility.problem(ctx.session, eligibility.answer_work(ctx.session, row.id), user)
    if reason:
        raise InvalidInput("只能分配给可以承办本咨询的驻场律师",
                           fields={"next_lawyer_id": [reason]})
    row.lawyer_id, row.notified_at, row.status = lawyer_id, utcnow(), Status.ASSIGNED
    audit(ctx, "lawyer_assigned", row, lawyer_id=lawyer_id, round=row.round)
    return lawyer_id


@helper
def check_assignee(ctx, user_id, role: str, exclude=None, field: str = "assignee") -> int | None:
    """A chosen person must be active in `role` and not excluded; empty means "pick for me"."""
    uid = as_id(user_id)
    if uid is None:
        return None
    user = ctx.session.get(User, uid)
    if role == "lawyer":  # the answering rule: who may answer this consultation
        consultation_id = as_id(ctx.instance.business_key)  # the consultation's own instance
        work = eligibility.answer_work(ctx.session, consultation_id, as_ids(exclude))
    else:
        work = eligibility.Work("", frozenset({role}), answered=frozenset(as_ids(exclude)))
    reason = eligibility.problem(ctx.session, work, user)
    if reason:
        raise InvalidInput(reason, fields={field: [reason]})
    return uid


@helper
def check_member(ctx, user_id, institution_id, field: str = "handler_id") -> int | None:
    """A named person must be an active member of the institution; empty passes."""
    uid = as_id(user_id)
    if uid is None:
        return None
    user = ctx.session.get(User, uid)
    if user is None or user.status != "active" or user.institution_id != as_id(institution_id):
        message = N_("只能指定本机构在岗的人员")
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
