"""E-mails the worker gave up on, with the reason, for administrators."""
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import Notification, User
from engine.notifications.outbox import FAILED, localized
from engine.uow import read_only


@dataclass(frozen=True)
class MailFailure:
    id: int
    recipient: str  # the user's display name
    subject: str
    error: str
    attempts: int
    created_at: datetime
    message: dict | None = None  # the subject's template, when kept (see outbox.localized)

    def read_in(self, translate: Callable[[str], str]) -> "MailFailure":
        """The same failure with the notice's subject in a reader's language."""
        return replace(self, subject=localized(self.subject, "", self.message, translate)[0])


def list_failed(session: Session, actor: Actor, limit: int = 200) -> list[MailFailure]:
    """Notifications whose e-mail failed for good, newest first, with the reason."""
    if actor.role != "admin":
        raise NotAllowed("只有系统管理员可以查看发送失败的邮件")
    n = Notification
    query = (select(n.id, User.display_name, n.subject, n.email_error, n.email_attempts,
                    n.created_at, n.message)
             .join(User, User.id == n.user_id).where(n.email_status == FAILED)
             .order_by(n.id.desc()).limit(limit))
    with read_only(session):
        return [MailFailure(i, name or "", subject, error or "", attempts, at, message)
                for i, name, subject, error, attempts, at, message in session.execute(query)]
