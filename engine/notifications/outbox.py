"""Notifications: written in the caller's transaction and read in the web UI; the worker
e-mails the same rows later (engine.notifications.delivery).

`notify` only adds a row, so a notification exists exactly when the step that caused it
committed.
"""
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, scoped_session

from engine.errors import Message, NotFound
from engine.models import Notification, utcnow
from engine.statements import driver, notification
from engine.uow import read_only, transaction

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"


@dataclass(frozen=True)
class NotificationInfo:
    id: int
    kind: str
    subject: str
    body: str
    link: str | None
    business_key: str | None
    created_at: datetime
    read_at: datetime | None
    message: dict | None = None  # the subject and body's templates (see `localized`)

    @classmethod
    def of(cls, n: Notification) -> "NotificationInfo":
        return cls(n.id, n.kind, n.subject, n.body, n.link, n.business_key, n.created_at,
                   n.read_at, n.message)

    def read_in(self, translate: Callable[[str], str]) -> "NotificationInfo":
        """The same notification with its subject and body in a reader's language."""
        subject, body = localized(self.subject, self.body, self.message, translate)
        return replace(self, subject=subject, body=body)


def notify(session: Session, user_id: int, kind: str, subject: str, body: str = "",
           link: str | None = None, business_key: str | None = None) -> driver.Pending:
    """Queue a notification for `user_id` inside the caller's transaction (no commit). The row
    is written with the use case's next statement or its COMMIT (engine.statements.driver);
    what is returned holds its id (`.first().id`) once written. A subject or body that is an
    engine.errors.Message is kept as its template and values too, to be read in each
    reader's language (`localized`)."""
    now = utcnow()
    message = stored_texts(subject, body)
    # PostgreSQL text cannot hold NUL; other control characters are cleaned when e-mailed.
    subject, body = _clean(subject)[:200], _clean(body or "").strip()
    queued = driver.write(session, notification.INSERT_DIRECT, dict(
        user_id=user_id, kind=kind, subject=subject, body=body, message=message, link=link,
        business_key=business_key, created_at=now, read_at=None, email_status=PENDING,
        email_attempts=0, email_next_at=now, email_sent_at=None, email_error=None,
        email_lease_until=None))
    sent_in_transaction(session).setdefault((user_id, business_key), []).append((queued, kind))
    return queued


def _clean(text: str) -> str:
    return text.replace("\x00", "")


def stored_texts(subject: str, body: str) -> dict | None:
    """What `localized` needs: the subject and body as templates and values, NUL-free."""
    if not isinstance(subject, Message) and not isinstance(body, Message):
        return None
    return _json_clean({"subject": subject.stored() if isinstance(subject, Message) else subject,
                       "body": body.stored() if isinstance(body, Message) else body})


def _json_clean(value):
    """`value` without NUL characters in its texts (PostgreSQL's JSON cannot hold them)."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(k): _json_clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_clean(v) for v in value]
    return value


def localized(subject: str, body: str, message: dict | None,
              translate: Callable[[str], str]) -> tuple[str, str]:
    """A notification's subject and body in a reader's language: `translate` turns one
    engine.errors.Message (or plain text) into it, e.g. the web's engine_text. A row with no
    templates (older, or plain text) reads as written."""
    if not message:
        return subject, body
    return (str(translate(Message.restored(message["subject"])))[:200],
            str(translate(Message.restored(message["body"]))).strip())


def sent_in_transaction(session: Session) -> dict[tuple, list[tuple[driver.Pending, str]]]:
    """(user id, business key) -> [(queued row, kind)] of the notifications queued in the
    current transaction, so a later step of the same use case can tell one person once about
    one matter."""
    plain = session() if isinstance(session, scoped_session) else session  # Flask-SQLAlchemy
    current = plain.get_transaction()
    kept = plain.info.get("notified")
    if kept is None or kept[0] is not current:
        kept = plain.info["notified"] = (current, {})
    return kept[1]


def relink(session: Session, queued: driver.Pending, link: str) -> None:
    """Point a notification queued by `notify` in this transaction at another page (e.g. the
    task it announces): still waiting to be written, it is written with the new link."""
    if not driver.amend(session, queued, link=link):
        driver.write(session, notification.RELINK,
                 {"notification_id": queued.first().id, "link": link})


def unread_count(session: Session, user_id: int) -> int:
    """How many notifications the user has not read (the header badge)."""
    with read_only(session):
        return session.scalar(select(func.count(Notification.id)).where(
            Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def list_for_user(session: Session, user_id: int, limit: int = 50,
                  unread_only: bool = False, offset: int = 0) -> list[NotificationInfo]:
    """The user's notifications, newest first."""
    query = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    with read_only(session):
        rows = session.scalars(query.order_by(Notification.id.desc()).offset(offset)
                               .limit(limit))
        return [NotificationInfo.of(n) for n in rows]


@dataclass(frozen=True)
class NotificationPage:
    items: list[NotificationInfo]
    total: int  # of the listed kind (all, or unread only)
    unread: int
    page: int
    per_page: int


def page_for_user(session: Session, user_id: int, page: int = 1, per_page: int = 20,
                  unread_only: bool = False) -> NotificationPage:
    """One page of the user's notifications, newest first, with the totals."""
    page, per_page = max(1, page), min(max(1, per_page), 100)
    counted = select(func.count(Notification.id)).where(Notification.user_id == user_id)
    if unread_only:
        counted = counted.where(Notification.read_at.is_(None))
    items = list_for_user(session, user_id, per_page, unread_only, (page - 1) * per_page)
    with read_only(session):
        total = session.scalar(counted) or 0
    return NotificationPage(items, total, unread_count(session, user_id), page, per_page)


def mark_one_read(session: Session, user_id: int, notification_id: int) -> NotificationInfo:
    """Mark one of the user's notifications read (NotFound if it is not theirs)."""
    with transaction(session):
        row = session.scalar(select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user_id))
        if row is None:
            raise NotFound("通知不存在")
        if row.read_at is None:
            row.read_at = utcnow()
        return NotificationInfo.of(row)


def mark_read(session: Session, user_id: int, ids: list[int] | None = None) -> int:
    """Mark the user's notifications `ids` (all of them when None) read; returns how many."""
    query = update(Notification).where(Notification.user_id == user_id,
                                       Notification.read_at.is_(None))
    if ids is not None:
        if not ids:
            return 0
        query = query.where(Notification.id.in_([int(i) for i in ids]))
    with transaction(session):
        changed = session.execute(query.values(read_at=utcnow())).rowcount
    return changed or 0


# --- e-mail delivery (run by the worker) -------------------------------------------------
