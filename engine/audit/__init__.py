"""The append-only audit log, chained by hash.

Rows are queued during a use case and written at the end of its transaction, after every
other change is flushed, so that the chain is extended under the transaction's write lock
(PostgreSQL: an advisory lock; SQLite: the database write lock taken by BEGIN IMMEDIATE).
"""
import hashlib
import json
from datetime import datetime

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from engine.models import AuditEvent, utcnow

_PENDING = "audit_pending"
_LOCK_KEY = 7_301_117  # arbitrary constant: the audit chain's advisory lock
_TABLE = AuditEvent.__table__
_LAST_HASH = select(_TABLE.c.hash).order_by(_TABLE.c.id.desc()).limit(1)
_INSERT = insert(_TABLE)


def record(session: Session, action: str, actor_id: int | None = None, *,
           instance_id: int | None = None, task_id: str | None = None,
           task_key: str | None = None, business_key: str | None = None,
           data: dict | None = None) -> None:
    """Queue an audit row; it is written when the use case commits."""
    session.info.setdefault(_PENDING, []).append(dict(
        action=action, actor_id=actor_id, instance_id=instance_id, task_id=task_id,
        task_key=task_key, business_key=business_key, data=data or {}, at=utcnow()))


def discard(session: Session) -> None:
    session.info.pop(_PENDING, None)


def content_hash(row: AuditEvent | dict, prev_hash: str) -> str:
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return chained_hash(prev_hash, get("at"), *(get(k) for k in _HASHED))


_HASHED = ("action", "actor_id", "instance_id", "task_id", "task_key", "business_key", "data")
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def chained_hash(prev_hash: str, at: datetime, action, actor_id, instance_id, task_id,
                 task_key, business_key, data) -> str:
    """The row's hash from its fields (positional, so `verify` can stream plain tuples)."""
    payload = {"action": action, "actor_id": actor_id, "instance_id": instance_id,
               "task_id": task_id, "task_key": task_key, "business_key": business_key,
               "data": data, "at": at.isoformat(timespec="microseconds")}
    return hashlib.sha256((prev_hash + _dumps(payload)).encode()).hexdigest()


def write_pending(session: Session) -> None:
    """Append the queued rows to the chain (called by the unit of work before commit)."""
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    prev = session.scalar(_LAST_HASH) or ""
    for item in pending:
        item["prev_hash"] = prev
        item["hash"] = prev = content_hash(item, prev)
    session.execute(_INSERT, pending)
