"""Notifications: written in the caller's transaction, read in the web UI, e-mailed later.

`notify` only adds a row, so a notification exists exactly when the step that caused it
committed. The worker e-mails the same rows
(`deliver_pending`): claimed with a lease first, then sent, each outcome committed on its
own; delivery is at least once, and every attempt carries the same Message-ID. A message
that cannot be built, or that the server refuses for good, is marked failed with its reason
(administrators see it at /ops/mail-failures) and delivery goes on with the next.
"""
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from engine.errors import NotFound
from engine.models import Notification, User, utcnow
from engine.notifications.message import (
    describe,
    header_address,
    header_text,
    message_id,
    permanent,
)
from engine.statements import notification
from engine.uow import read_only, transaction

PENDING, SENDING, SENT, FAILED, SKIPPED = "pending", "sending", "sent", "failed", "skipped"
_REPLIES = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


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

    @classmethod
    def of(cls, n: Notification) -> "NotificationInfo":
        return cls(n.id, n.kind, n.subject, n.body, n.link, n.business_key, n.created_at,
                   n.read_at)


def notify(session: Session, user_id: int, kind: str, subject: str, body: str = "",
           link: str | None = None, business_key: str | None = None) -> int:
    """Queue a notification for `user_id` inside the caller's transaction (no commit); its id."""
    now = utcnow()
    # PostgreSQL text cannot hold NUL; other control characters are cleaned when e-mailed.
    subject, body = subject.replace("\x00", "")[:200], (body or "").replace("\x00", "")
    new_id = session.execute(notification.INSERT, dict(
        user_id=user_id, kind=kind, subject=subject, body=body, link=link,
        business_key=business_key, created_at=now, read_at=None, email_status=PENDING,
        email_attempts=0, email_next_at=now, email_sent_at=None, email_error=None,
        email_lease_until=None)).scalar_one()
    sent_in_transaction(session).setdefault((user_id, business_key), []).append((new_id, kind))
    return new_id


def sent_in_transaction(session: Session) -> dict[tuple[int, str | None], list[tuple[int, str]]]:
    """(user id, business key) -> [(id, kind)] of the notifications queued in the current
    transaction, so a later step of the same use case can tell one person once about one
    matter."""
    plain = session() if isinstance(session, scoped_session) else session  # Flask-SQLAlchemy
    current = plain.get_transaction()
    kept = plain.info.get("notified")
    if kept is None or kept[0] is not current:
        kept = plain.info["notified"] = (current, {})
    return kept[1]


def relink(session: Session, notification_id: int, link: str) -> None:
    """Point a queued notification at another page (e.g. the task it announces)."""
    session.execute(update(Notification.__table__)
                    .where(Notification.__table__.c.id == notification_id).values(link=link))


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

@dataclass(frozen=True)
class SmtpConfig:
    """Where and how to send; `secret` makes Message-IDs unguessable and stable per install."""

    host: str = "localhost"
    port: int = 25
    username: str | None = None
    password: str | None = None
    starttls: bool = False
    ca_file: str | None = None  # trusted authorities for STARTTLS; None: the system's
    mail_from: str = "noreply@localhost"
    secret: str = ""
    base_url: str = ""
    timeout: float = 10.0
    max_attempts: int = 5
    lease: timedelta = timedelta(minutes=5)


@dataclass
class DeliveryResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class _Claimed:
    id: int
    email: str | None
    subject: str
    body: str
    link: str | None
    attempts: int


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after the n-th failed attempt, at most an hour."""
    return min(timedelta(minutes=1) * 2 ** (max(attempts, 1) - 1), timedelta(hours=1))


def build_message(item: _Claimed, config: SmtpConfig, now: datetime) -> EmailMessage:
    """The e-mail for one notification; header values from input are made one clean line."""
    msg = EmailMessage()
    msg["From"] = config.mail_from
    msg["To"] = header_address(item.email)
    msg["Subject"] = header_text(item.subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(item.id, config)
    link = f"\n\n{config.base_url.rstrip('/')}{item.link}" if item.link else ""
    msg.set_content(f"{item.body}{link}\n")
    return msg


def deliver_pending(sessions: sessionmaker[Session], config: SmtpConfig,
                    now: datetime | None = None, batch: int = 50) -> DeliveryResult:
    """Send the e-mails that are due; each outcome is committed on its own."""
    now = now or utcnow()
    result = DeliveryResult()
    while True:
        claimed = _claim(sessions, now, batch, config.lease)
        _send_all(sessions, config, claimed, now, result)
        if len(claimed) < batch:
            return result


def _claim(sessions: sessionmaker[Session], now: datetime, batch: int,
           lease: timedelta) -> list[_Claimed]:
    """Mark due rows 'sending' with a lease, committed before anything is sent.

    A row whose lease ran out (its worker died mid-send) is due again.
    """
    n = Notification
    due = (select(n.id).where(n.email_status.in_([PENDING, SENDING]),
                              or_(n.email_next_at.is_(None), n.email_next_at <= now))
           .order_by(n.email_next_at, n.id).limit(batch).with_for_update(skip_locked=True))
    with sessions() as session, transaction(session):
        ids = list(session.scalars(due))
        if not ids:
            return []
        session.execute(update(n).where(n.id.in_(ids))
                        .values(email_status=SENDING, email_next_at=now + lease))
        rows = session.execute(select(n.id, User.email, n.subject, n.body, n.link,
                                      n.email_attempts)
                               .join(User, User.id == n.user_id).where(n.id.in_(ids))
                               .order_by(n.id)).all()
    return [_Claimed(*r) for r in rows]


def _send_all(sessions, config: SmtpConfig, claimed: list[_Claimed], now: datetime,
              result: DeliveryResult) -> None:
    smtp = None
    try:
        for item in claimed:
            if not item.email:
                _finish(sessions, item.id, SKIPPED, now, error="用户未填写电子邮箱")
                result.skipped += 1
                continue
            try:
                message = build_message(item, config, now)
            except Exception as exc:  # noqa: BLE001 - a message that cannot be built never will be
                _give_up(sessions, item, now, f"邮件无法生成：{describe(exc)}", result)
                continue
            try:
                smtp = smtp or _connect(config)
                smtp.send_message(message)
            except (smtplib.SMTPException, OSError) as exc:
                if not isinstance(exc, _REPLIES):
                    smtp = _close(smtp)  # the connection itself is in doubt
                _attempt_failed(sessions, item, config, exc, now, result)
            except Exception as exc:  # noqa: BLE001 - e.g. an address that cannot be encoded
                smtp = _close(smtp)
                _give_up(sessions, item, now, f"邮件无法发送：{describe(exc)}", result)
            else:
                _finish(sessions, item.id, SENT, now, attempts=item.attempts + 1)
                result.sent += 1
    finally:
        _close(smtp)


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    smtp = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.starttls:
            # smtplib's default context verifies nothing: check certificate and host name.
            smtp.starttls(context=ssl.create_default_context(cafile=config.ca_file))
        if config.username:
            smtp.login(config.username, config.password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def _attempt_failed(sessions, item: _Claimed, config: SmtpConfig, exc: Exception,
                    now: datetime, result: DeliveryResult) -> None:
    attempts = item.attempts + 1
    if permanent(exc) or attempts >= config.max_attempts:
        _finish(sessions, item.id, FAILED, now, attempts=attempts, error=describe(exc))
        result.failed += 1
    else:
        _finish(sessions, item.id, PENDING, now, attempts=attempts, error=describe(exc),
                next_at=now + retry_delay(attempts))
        result.retried += 1


def _give_up(sessions, item: _Claimed, now: datetime, reason: str,
             result: DeliveryResult) -> None:
    """Mark a message failed for good with its reason (administrators see it)."""
    _finish(sessions, item.id, FAILED, now, attempts=item.attempts + 1, error=reason[:2000])
    result.failed += 1


def _finish(sessions, notification_id: int, status: str, now: datetime, attempts=None,
            error: str | None = None, next_at: datetime | None = None) -> None:
    # A reason quoting the input may hold NUL, which PostgreSQL refuses in text.
    error = error.replace("\x00", "\\x00") if error else error
    values = {"email_status": status, "email_next_at": next_at, "email_error": error}
    if status == SENT:
        values["email_sent_at"] = now
    if attempts is not None:
        values["email_attempts"] = attempts
    with sessions() as session, transaction(session):
        session.execute(update(Notification).where(Notification.id == notification_id)
                        .values(**values))
