"""Taking someone off the platform (disabled account): at once, with their work.

A supervisor's disqualification (engine.oversight.supervision) covers lawyers; this covers
any account an administrator disables (a drafting colleague who left, an expert no longer
available). In one transaction the account is disabled, its sessions and API tokens are
revoked and every open piece of its work goes to the duty officers' reassignment queue.
"""
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.consultation.reassign import queue_tasks_of
from engine.errors import N_, InvalidInput, NotFound
from engine.models import DISABLED, User
from engine.people.sessions import revoke_all
from engine.uow import transaction


def disable(session: Session, actor: Actor, user_id: int, reason: str) -> list[str]:
    """Disable the account and queue its open work; returns the ids of the queued tasks."""
    access.require(actor, "manage_users")
    if not str(reason or "").strip():
        raise InvalidInput("必须填写理由", fields={"reason": [N_("必须填写此项")]})
    with transaction(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("用户不存在")
        if user.status == DISABLED:
            raise InvalidInput("该账号已停用", fields={"user": [N_("已停用")]})
        before = user.status
        user.status = DISABLED
        revoke_all(session, user.id)  # every session and API token stops working now
        audit.record(session, "user_disabled", actor.id,
                     data={"user_id": user.id, "reason": reason.strip(), "status": before,
                           "by": actor.username})
        return queue_tasks_of(session, user.id, actor.id)
