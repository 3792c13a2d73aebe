"""E-mail delivery of the notifications (the worker's `deliver_pending`).

Rows are claimed with a lease first, then sent, each outcome committed on its own; delivery is
at least once, and every attempt carries the same Message-ID. A message that cannot be built,
or that the server refuses for good, is marked failed with its reason (administrators see it
at /ops/mail-failures) and delivery goes on with the next.
"""
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from engine.models import Notification, User, utcnow
from engine.notifications.message import (
    describe,
    header_address,
    header_text,
    message_id,
    permanent,
)
from engine.notifications.outbox import FAILED, PENDING, SENDING, SENT, SKIPPED
from engine.uow import transaction

_REPLIES = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


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
    # (recipient's saved language or None, subject, body, templates) -> (subject, body) in
    # that language (engine.notifications.outbox.localized); None: the text as stored.
    localize: Callable[[str | None, str, str, dict | None], tuple[str, str]] | None = None


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
    locale: str | None = None
    message: dict | None = None


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 ... minutes after the n-th failed attempt, at most an hour."""
    return min(timedelta(minutes=1) * 2 ** (max(attempts, 1) - 1), timedelta(hours=1))


def build_message(item: _Claimed, config: SmtpConfig, now: datetime) -> EmailMessage:
    """The e-mail for one notification; header values from input are made one clean line."""
    subject, body = item.subject, item.body
    if config.localize is not None and item.message:  # in the recipient's language
        subject, body = config.localize(item.locale, subject, body, item.message)
    msg = EmailMessage()
    msg["From"] = config.mail_from
    msg["To"] = header_address(item.email)
    msg["Subject"] = header_text(subject)
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id(item.id, config)
    link = f"\n\n{config.base_url.rstrip('/')}{item.link}" if item.link else ""
    msg.set_content(f"{body}{link}\n")
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
                                      n.email_attempts, User.locale, n.message)
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
