"""What goes into one e-mail (safe header values, a stable Message-ID) and what an SMTP
server's refusal means.

A consultation's title becomes a Subject. Python's e-mail library refuses a header holding a
CR or LF (header injection); other control characters garble mail clients. Every header value
taken from input passes through here: control characters and line breaks become spaces, runs
of white space collapse, and the length is capped.
"""
import hashlib
import hmac
import re
import smtplib
import socket

SUBJECT_LIMIT = 150  # characters; mail clients show far fewer
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def header_text(value: object, limit: int = SUBJECT_LIMIT) -> str:
    """`value` on one clean line of at most `limit` characters (cut ones end with …)."""
    text = " ".join(_CONTROL.sub(" ", str(value or "")).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def header_address(value: str) -> str:
    """An address as given, refused (ValueError) if it could not be one header value."""
    if not value or _CONTROL.search(value) or "@" not in value:
        raise ValueError(f"invalid e-mail address {value!r}")
    return value


def message_id(notification_id: int, config) -> str:
    """The same Message-ID for every attempt at one notification, so a resend is recognisable."""
    secret = (config.secret or socket.gethostname()).encode()
    tag = hmac.new(secret, str(notification_id).encode(), hashlib.sha256).hexdigest()[:16]
    domain = config.mail_from.rpartition("@")[2].strip(">") or socket.getfqdn()
    return f"<notification-{notification_id}.{tag}@{domain}>"


def permanent(exc: Exception) -> bool:
    """5xx replies will not change on a retry (unknown mailbox, policy rejection)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPResponseException) and exc.smtp_code >= 500


def describe(exc: Exception) -> str:
    """A failed attempt's reason as administrators read it (the server's reply if any)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(
            exc.smtp_error, bytes) else str(exc.smtp_error)
        return f"{exc.smtp_code} {text}"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(f"{addr}: {code} {msg.decode(errors='replace')}"
                         for addr, (code, msg) in exc.recipients.items())
    return f"{type(exc).__name__}: {exc}"
