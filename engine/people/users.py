"""Use cases for people: create users, authenticate, change status, seed demo data.

Each function takes a SQLAlchemy Session first and runs its own transaction.
"""
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.audit import record
from engine.errors import N_, InvalidInput, Message, NotFound
from engine.models import ACTIVE, DISABLED, DISQUALIFIED, Institution, LawyerWarning, User
from engine.models.supervision import DISQUALIFY, REINSTATE
from engine.people.passwords import burn_time, hash_password, needs_rehash, verify_password
from engine.people.roles import ROLES
from engine.people.sessions import open_session, revoke_all
from engine.uow import read_only, transaction

MIN_PASSWORD = 8
USERNAME_RE = re.compile(r"^[A-Za-z0-9_.\-]{3,80}$")
STATUSES = (ACTIVE, DISQUALIFIED, DISABLED)


def _check_new_user(session: Session, username: str, role: str, password: str | None) -> None:
    fields: dict[str, list[str]] = {}
    if not USERNAME_RE.match(username or ""):
        fields["username"] = [N_("用户名须为 3–80 个字母、数字或 _ . - 字符")]
    elif session.scalar(select(User.id).where(User.username == username)) is not None:
        fields["username"] = [N_("用户名已被使用")]
    if role not in ROLES:
        fields["role"] = [f"未知角色：{role}（可选：{', '.join(ROLES)}）"]
    if password is not None and len(password) < MIN_PASSWORD:
        fields["password"] = [Message("密码至少 {n} 个字符", n=MIN_PASSWORD)]
    if fields:
        raise InvalidInput("用户信息无效", fields=fields)


def institution_named(session: Session, name: str) -> Institution:
    """The institution called `name`, created when new (not committed)."""
    inst = session.scalar(select(Institution).where(Institution.name == name))
    if inst is None:
        inst = Institution(name=name)
        session.add(inst)
        session.flush()
    return inst


def create_user(session: Session, username: str, role: str, password: str | None = None,
                institution: str | None = None, display_name: str = "",
                email: str | None = None, categories: Iterable[str] = (),
                phone: str | None = None) -> User:
    """Create a user; without a password the account cannot log in until one is set."""
    username = (username or "").strip()
    password_hash = hash_password(password) if password else ""  # slow: outside the lock
    try:
        with transaction(session):
            _check_new_user(session, username, role, password)
            user = User(username=username, role=role, display_name=display_name or username,
                        email=email or None, phone=phone or None, categories=list(categories),
                        password_hash=password_hash)
            if institution:
                user.institution = institution_named(session, institution.strip())
            session.add(user)
    except IntegrityError as exc:  # a concurrent registration took the name
        raise InvalidInput("用户信息无效", fields={"username": [N_("用户名已被使用")]}) from exc
    return user


def log_in(session: Session, username: str, password: str, kind: str,
           lifetime: timedelta) -> tuple[User, str] | None:
    """Check the password and open a session of `kind` ("web" or "api"): (user, session id),
    or None when the password is wrong or the account disabled."""
    user = authenticate(session, username, password)
    if user is None:
        return None
    return user, open_session(session, user.id, kind, lifetime)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user when the password matches and the account is not disabled, else None."""
    user = session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None:
        burn_time(password)
        return None
    if not verify_password(user.password_hash, password) or user.status == DISABLED:
        return None
    if needs_rehash(user.password_hash):
        new_hash = hash_password(password)
        with transaction(session):
            session.get(User, user.id).password_hash = new_hash
    return user


def set_password(session: Session, user_id: int, password: str) -> None:
    """Replace a user's password and end every session and token they hold."""
    _check_password(password)
    password_hash = hash_password(password)
    with transaction(session):
        _get(session, user_id).password_hash = password_hash
        revoke_all(session, user_id)


def change_password(session: Session, user_id: int, current: str, new: str,
                    keep_session: str | None = None) -> None:
    """The user replaces their own password (the current one required); every other
    session and token of theirs ends, `keep_session` (the one in use) stays."""
    user = _get(session, user_id)
    if not verify_password(user.password_hash, current or ""):
        raise InvalidInput("密码无效", fields={"current": [N_("当前密码不正确")]})
    _check_password(new)
    if new == current:
        raise InvalidInput("密码无效", fields={"password": [N_("新密码不能与当前密码相同")]})
    password_hash = hash_password(new)
    with transaction(session):
        user = _get(session, user_id)
        user.password_hash, user.must_change_password = password_hash, False
        revoke_all(session, user_id, keep=keep_session)


def set_status(session: Session, user_id: int, status: str) -> User:
    """Set active / disqualified / disabled; leaving `active` ends every session and token."""
    if status not in STATUSES:
        raise InvalidInput("状态无效", fields={"status": [f"可选：{', '.join(STATUSES)}"]})
    with transaction(session):
        user = _get(session, user_id)
        if status != ACTIVE and user.status != status:
            revoke_all(session, user_id)
        user.status = status
    return user


def _check_password(password: str | None) -> None:
    if len(password or "") < MIN_PASSWORD:
        too_short = Message("密码至少 {n} 个字符", n=MIN_PASSWORD)
        raise InvalidInput("密码无效", fields={"password": [too_short]})


# What follows when someone is taken off the platform, in the same transaction: the domain
# registers it (engine.consultation.reassign queues their open work for the duty officers).
ON_DISABLE: list[Callable[[Session, int, int | None], object]] = []


def disable(session: Session, actor: Actor, user_id: int) -> User:
    """Disable an account: every session and token of it stops working at once, and every
    open piece of their work leaves them in the same transaction (ON_DISABLE)."""
    access.require(actor, "manage_users")
    if user_id == actor.id:
        raise InvalidInput("不能停用自己的账号", fields={"user": [N_("不能停用自己的账号")]})
    with transaction(session):
        user = _get(session, user_id)
        if user.status != DISABLED:
            user.status = DISABLED
            record(session, "user_disabled", actor.id, data=_subject(user))
        revoke_all(session, user_id)
        for hook in ON_DISABLE:
            hook(session, user_id, actor.id)
    return user


def enable(session: Session, actor: Actor, user_id: int) -> User:
    """Enable a disabled account (a disqualified lawyer stays disqualified); old sessions
    and tokens stay dead: the person logs in again."""
    access.require(actor, "manage_users")
    with transaction(session):
        user = _get(session, user_id)
        if user.status == DISABLED:
            user.status = DISQUALIFIED if _disqualified(session, user_id) else ACTIVE
            record(session, "user_enabled", actor.id, data=_subject(user))
    return user


def reset_password(session: Session, actor: Actor, user_id: int,
                   password: str | None = None) -> str:
    """Set a new password (one is generated when none is given) and end every session and
    token of the account; returns the password, to be shown once to the administrator."""
    access.require(actor, "manage_users")
    generated = password is None
    password = password or secrets.token_urlsafe(12)
    _check_password(password)
    password_hash = hash_password(password)
    with transaction(session):
        user = _get(session, user_id)
        user.password_hash = password_hash
        user.must_change_password = generated  # only its owner should know a password
        revoke_all(session, user_id)
        record(session, "password_reset", actor.id, data=_subject(user))
    return password


def id_named(session: Session, username: str) -> int:
    """The id of the user called `username`; NotFound otherwise."""
    with read_only(session):
        user_id = session.scalar(select(User.id).where(User.username == (username or "").strip()))
    if user_id is None:
        raise NotFound(f"用户不存在：{username}")
    return user_id


@dataclass(frozen=True)
class Account:
    """One row of the administrators' user list."""

    id: int
    username: str
    display_name: str
    role: str
    status: str
    institution: str | None
    created_at: datetime


def accounts(session: Session, actor: Actor, role: str | None = None) -> list[Account]:
    """Every account (of a role), for administrators, in creation order."""
    access.require(actor, "manage_users")
    query = select(User.id, User.username, User.display_name, User.role, User.status,
                   Institution.name, User.created_at).outerjoin(User.institution)
    if role is not None:
        query = query.where(User.role == role)
    with read_only(session):
        return [Account(*row) for row in session.execute(query.order_by(User.id))]


def _subject(user: User) -> dict:
    return {"user_id": user.id, "username": user.username, "status": user.status}


def _disqualified(session: Session, user_id: int) -> bool:
    """Whether the lawyer's latest disqualify / reinstate decision is a disqualification."""
    kind = session.scalar(select(LawyerWarning.kind).where(
        LawyerWarning.lawyer_id == user_id, LawyerWarning.kind.in_((DISQUALIFY, REINSTATE)))
        .order_by(LawyerWarning.at.desc(), LawyerWarning.id.desc()).limit(1))
    return kind == DISQUALIFY


def set_locale(session: Session, user_id: int, locale: str | None) -> None:
    """Remember the user's interface language (e.g. "zh", "en"; None for the default)."""
    with transaction(session):
        _get(session, user_id).locale = locale


def choices(session: Session, role: str | None = None,
            institution_id: int | None = None) -> list[tuple[int, str]]:
    """Active users (of a role, of an institution) as (id, name), for pickers in forms."""
    query = select(User.id, User.display_name, User.username).where(User.status == ACTIVE)
    if role is not None:
        query = query.where(User.role == role)
    if institution_id is not None:
        query = query.where(User.institution_id == institution_id)
    with read_only(session):
        rows = session.execute(query.order_by(User.id)).all()
    return [(i, name or username) for i, name, username in rows]


def shown_name(session: Session, user_id: int | None) -> str | None:
    """A person's name as pages show it (display name, else username); None if unknown."""
    if user_id is None:
        return None
    found = session.execute(select(User.display_name, User.username)
                            .where(User.id == user_id)).first()
    return (found[0] or found[1]) if found else None


def institution_choices(session: Session) -> list[tuple[int, str]]:
    """Active institutions as (id, name)."""
    with read_only(session):
        rows = session.execute(select(Institution.id, Institution.name).where(
            Institution.active.is_(True)).order_by(Institution.id)).all()
    return [tuple(r) for r in rows]


def _get(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("用户不存在")
    return user

