"""Small pieces the domain helpers share: id coercion, loading, notifying, auditing."""
from datetime import timedelta

from sqlalchemy import insert, select

from engine.audit import record
from engine.consultation.facts import instance_deadline, task_deadline
from engine.consultation.notice_texts import deadline_task, link, render
from engine.errors import Message, NotFound
from engine.models import Consultation, User
from engine.notifications.outbox import notify as notify_user

MAX_ID = 2**31 - 1


def as_id(value) -> int | None:
    """A user/institution/consultation id from task data: int, digit string, or empty."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        number = int(text) if text.isdigit() else None
    # Ids are 32-bit integer keys: a larger number names no row (and would overflow the query).
    return number if number is not None and 0 < number <= MAX_ID else None


def as_ids(values) -> set[int]:
    """Ids from a list, a single value or a comma-separated string."""
    if values is None or values == "":
        return set()
    if isinstance(values, str):
        values = values.split(",")
    elif not isinstance(values, list | tuple | set):
        values = [values]
    return {i for i in map(as_id, values) if i is not None}


def consultation(ctx, consultation_id) -> Consultation:
    """The consultation row, loaded once per use case: the context keeps a strong reference,
    so the session's (weak) identity map does not drop it between two script tasks."""
    key = as_id(consultation_id)
    kept = ctx.__dict__.setdefault("consultations", {})
    row = kept.get(key)
    if row is None:
        row = ctx.session.get(Consultation, key)
        if row is None:
            raise NotFound(Message("咨询 {id} 不存在", id=consultation_id))
        kept[key] = row
    return row


def add_row(ctx, model, **values) -> int:
    """Insert one domain record with a Core statement and return its id (no ORM flush)."""
    table = model.__table__
    return ctx.session.execute(insert(table).returning(table.c.id), values).scalar_one()


def audit(ctx, action: str, row: Consultation, **data) -> None:
    """Queue an audit row about a consultation, attributed to whoever is acting."""
    record(ctx.session, action, ctx.actor.id, instance_id=ctx.instance.id,
           business_key=str(row.id), data=data)


def send(ctx, user_id: int | None, kind: str, row: Consultation, reason: str = "") -> None:
    """Notify one user about a consultation (nobody when user_id is empty).

    The same notice to the same person is sent once per use case, so a diagram may notify
    after a helper that already did without the citizen getting two messages.
    """
    sent = ctx.__dict__.setdefault("notified", set())
    if user_id is None or (user_id, kind, row.id) in sent:
        return
    sent.add((user_id, kind, row.id))
    subject, body = render(kind, row.id, row.title, reason,
                           deadline_of(ctx, deadline_task(kind), row))
    notify_user(ctx.session, user_id, kind, subject, body, link=link(row.id),
                business_key=str(row.id))


def deadline_of(ctx, task: str | None, row: Consultation) -> timedelta | None:
    """The deadline of user task `task` as the consultation's own diagram version sets it
    (None for no task, or one the diagram computes at run time)."""
    if task is None:
        return None
    if row.instance_id is None or row.instance_id == ctx.instance.id:
        # Starting, the row does not know its instance yet: the running one is it.
        return task_deadline(ctx.session, task, ctx.instance.version_id)
    return instance_deadline(ctx.session, row.instance_id, task)


def active_users(ctx, role: str | None = None, institution_id: int | None = None) -> list[int]:
    """Ids of active users of a role and/or an institution."""
    query = select(User.id).where(User.status == "active").order_by(User.id)
    if role is not None:
        query = query.where(User.role == role)
    if institution_id is not None:
        query = query.where(User.institution_id == institution_id)
    return list(ctx.session.scalars(query))
