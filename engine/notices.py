"""Notifications: one outbox row per message, delivered in the web UI and by e-mail."""
from sqlalchemy.orm import Session

from .models import Notification, utcnow


def notify_user(session: Session, user_id: int, kind: str, subject: str, body: str,
                link: str | None = None, business_key: str | None = None) -> Notification:
    """Queue a notification for `user_id` in the caller's transaction."""
    row = Notification(user_id=user_id, kind=kind, subject=subject[:200], body=body, link=link,
                       business_key=business_key, created_at=utcnow(), email_next_at=utcnow())
    session.add(row)
    return row
