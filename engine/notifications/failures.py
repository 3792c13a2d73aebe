"""E-mails the worker gave up on, with the reason, for administrators."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import Notification, User
from engine.notifications.outbox import FAILED
from engine.uow import read_only


@dataclass(frozen=True)
class MailFailure:
    id: int
    recipient: str  # the user's display name
    subject: str
    error: str
    attempts: int
    created_at: datetime


def list_failed(session: Session, actor: Actor, limit: int = 200) -> list[MailFailure]:
    """Notifications whose e-mail failed for good, newest first, with the reason."""
    if actor.role != "admin":
        raise NotAllowed("只有系统管理员可以查看发送失败的邮件")
    n = Notification
    query = (select(n.id, User.display_name, n.subject, n.email_error, n.email_attempts,
                    n.created_at)
             .join(User, User.id == n.user_id).where(n.email_status == FAILED)
             .order_by(n.id.desc()).limit(limit))
    with read_only(session):
        return [MailFailure(i, name or "", subject, error or "", attempts, at)
                for i, name, subject, error, attempts, at in session.execute(query)]
