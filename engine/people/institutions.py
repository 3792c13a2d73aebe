"""Resident institutions (驻场机构): an institution's residency ends, or resumes.

While it has ended its members are not in good standing (engine.access.user_in_standing reads
the institution with the person): they can do nothing, no work is offered or handed to them,
and every open piece of their work leaves them when it ends, in the same transaction, as when
one account is disabled (users.ON_DISABLE: the domain queues it for the duty officers).
Work offered to the institution as a whole (an offline engagement to accept) moves on with
its deadline.
"""
from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.audit import record
from engine.errors import InvalidInput, NotFound
from engine.models import HumanTask, Institution, User
from engine.people.users import ON_DISABLE
from engine.uow import read_only, transaction


@dataclass(frozen=True)
class Residency:
    """An institution as administrators see it: whether it is resident, how many people
    belong to it, and how many open tasks they hold (what ending it hands to the duty
    officers)."""

    id: int
    name: str
    active: bool
    members: int
    open_work: int


def residencies(session: Session, actor: Actor) -> list[Residency]:
    """Every institution, by name, for administrators."""
    access.require(actor, "manage_institutions")
    members = (select(func.count(User.id)).where(User.institution_id == Institution.id)
               .scalar_subquery())
    held = (select(func.count(distinct(HumanTask.id)))
            .join(User, or_(HumanTask.assignee_id == User.id, HumanTask.claimed_by == User.id))
            .where(User.institution_id == Institution.id, HumanTask.state == "ready")
            .scalar_subquery())
    with read_only(session):
        rows = session.execute(select(Institution.id, Institution.name, Institution.active,
                                      members, held).order_by(Institution.name))
        return [Residency(*row) for row in rows]


def id_named(session: Session, name: str) -> int:
    """The id of the institution called `name`; NotFound otherwise."""
    with read_only(session):
        found = session.scalar(select(Institution.id).where(
            Institution.name == (name or "").strip()))
    if found is None:
        raise NotFound(f"机构不存在：{name}")
    return found


def end_residency(session: Session, actor: Actor, institution_id: int,
                  reason: str) -> Institution:
    """The institution leaves the platform: its members' open work leaves them at once. The
    reason is kept in the audit log, for the supervisors and the institution's own record."""
    access.require(actor, "manage_institutions")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请说明结束驻场的原因", {"reason": ["请说明结束驻场的原因"]})
    with transaction(session):
        institution = _get(session, institution_id)
        if institution.active:
            institution.active = False
            record(session, "institution_deactivated", actor.id,
                   data={"institution_id": institution.id, "name": institution.name,
                         "reason": reason})
        for member in session.scalars(select(User.id).where(
                User.institution_id == institution.id).order_by(User.id)):
            for hook in ON_DISABLE:
                hook(session, member, actor.id)
    return institution


def resume_residency(session: Session, actor: Actor, institution_id: int) -> Institution:
    """The institution is resident again; its members are as their own standing says (work
    taken from them stays with whoever it was reassigned to)."""
    access.require(actor, "manage_institutions")
    with transaction(session):
        institution = _get(session, institution_id)
        if not institution.active:
            institution.active = True
            record(session, "institution_reactivated", actor.id,
                   data={"institution_id": institution.id, "name": institution.name})
    return institution


def _get(session: Session, institution_id: int) -> Institution:
    institution = session.get(Institution, institution_id)
    if institution is None:
        raise NotFound("机构不存在")
    return institution
