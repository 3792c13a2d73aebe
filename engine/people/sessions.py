"""Login sessions: open one at login, check it on every request, revoke it at logout.

A session's random id travels inside the signed cookie or bearer token; the row decides
whether it still counts, so logging out, disabling an account or resetting its password
ends it on the server at once, whatever copies of the cookie or token exist.
"""
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.models import LoginSession, User, utcnow
from engine.statements import driver, login_session
from engine.uow import read_only, transaction

KINDS = ("web", "api")
_S = LoginSession.__table__.c
_U = User.__table__.c


def open_session(session: Session, user_id: int, kind: str, lifetime: timedelta) -> str:
    """Open a session for `user_id` lasting `lifetime`; drop the user's dead ones."""
    if kind not in KINDS:
        raise ValueError(f"unknown session kind {kind!r}")
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    with transaction(session):
        session.execute(delete(LoginSession).where(
            LoginSession.user_id == user_id,
            (LoginSession.expires_at <= now) | LoginSession.revoked_at.is_not(None)))
        session.add(LoginSession(id=sid, user_id=user_id, kind=kind, created_at=now,
                                 expires_at=now + lifetime))
    return sid


def close_session(session: Session, sid: str) -> None:
    """Log out: the session stops counting now (unknown or closed ids are ignored)."""
    with transaction(session):
        session.execute(update(LoginSession).where(
            LoginSession.id == sid, LoginSession.revoked_at.is_(None)).values(revoked_at=utcnow()))


def revoke_all(session: Session, user_id: int, keep: str | None = None) -> None:
    """End every session of a user but `keep` (inside the caller's transaction)."""
    query = update(LoginSession).where(LoginSession.user_id == user_id,
                                       LoginSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(LoginSession.id != keep)
    session.execute(query.values(revoked_at=utcnow()))


def user_of(session: Session, sid: str) -> User | None:
    """The user of a live web session, or None (closed, expired, revoked or disabled)."""
    if not isinstance(sid, str) or not sid:
        return None
    with read_only(session):
        return session.scalar(select(User).join(LoginSession, _S.user_id == _U.id)
                              .where(login_session.LIVE), {"sid": sid, "now": utcnow()})


def account_of(session: Session, sid: str) -> tuple[Actor, dict] | None:
    """The actor of a live session and their account as they see it (id,
    username, name, role, status, institution's name, locale), in one query; or None."""
    if not isinstance(sid, str) or not sid:
        return None
    found = driver.read(session, login_session.ACCOUNT, {"sid": sid, "now": utcnow()})
    if not found:
        return None
    row = found[0]
    return _actor(row), {key: value for key, value in row._mapping.items()
                         if key != "institution_id"}


def _actor(row) -> Actor:
    return Actor(id=row.id, role=row.role, institution_id=row.institution_id,
                 username=row.username, status=row.status)
