"""The append-only audit log, chained by a keyed hash (HMAC-SHA256).

Rows are queued during a use case and written at the end of its transaction, after every
other change is flushed, so that the chain is extended under the transaction's write lock
(PostgreSQL: an advisory lock; SQLite: the database write lock taken by BEGIN IMMEDIATE).

Each row's `hash` is HMAC-SHA256 over the previous row's hash and the row's content, under a
key held outside the database (the engine's `AUDIT_KEY` execution option, set by
`engine.db.make_engine(audit_key=...)` from the AUDIT_KEY setting). Whoever can write to the
database but lacks the key cannot recompute the chain after changing a row.
"""
import hashlib
import hmac
import json
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.db import AUDIT_KEY, queue
from engine.models import AuditEvent, utcnow
from engine.statements import audit_event, driver

PENDING = "audit"  # this module's queue in engine.db.queue
LOCK_KEY = 7_301_117  # arbitrary constant: the audit chain's advisory lock
# Used only when no key was configured (engine tests, a developer's machine); production
# refuses to start without AUDIT_KEY (web.config).
DEV_KEY = b"fawang development audit key: set AUDIT_KEY in production"


def key_of(session: Session) -> bytes:
    """The chain's key, from the session's engine (DEV_KEY when none was configured)."""
    key = session.connection().get_execution_options().get(AUDIT_KEY)
    if not key:
        return DEV_KEY
    return key if isinstance(key, bytes) else str(key).encode()


def record(session: Session, action: str, actor_id: int | None = None, *,
           instance_id: int | None = None, task_id: str | None = None,
           task_key: str | None = None, business_key: str | None = None,
           data: dict | None = None) -> None:
    """Queue an audit row; it is written when the use case commits."""
    queue(session).setdefault(PENDING, []).append(dict(
        action=action, actor_id=actor_id, instance_id=instance_id, task_id=task_id,
        task_key=task_key, business_key=business_key, data=data or {}, at=utcnow()))


def content_hash(row: AuditEvent | dict, prev_hash: str, key: bytes = DEV_KEY) -> str:
    """The row's keyed hash chained to `prev_hash`."""
    get = row.get if isinstance(row, dict) else lambda k: getattr(row, k)
    return chained_hash(key, prev_hash, get("at"), *(get(k) for k in _HASHED))


_HASHED = ("action", "actor_id", "instance_id", "task_id", "task_key", "business_key", "data")
_dumps = json.JSONEncoder(sort_keys=True, ensure_ascii=False, default=str).encode


def chained_hash(key: bytes | None, prev_hash: str, at: datetime, action, actor_id, instance_id,
                 task_id, task_key, business_key, data) -> str:
    """The row's HMAC from its fields (positional, so `verify` can stream plain tuples);
    `key=None` gives the unkeyed SHA-256 of logs written before the chain was keyed."""
    payload = {"action": action, "actor_id": actor_id, "instance_id": instance_id,
               "task_id": task_id, "task_key": task_key, "business_key": business_key,
               "data": data, "at": at.isoformat(timespec="microseconds")}
    message = (prev_hash + _dumps(payload)).encode()
    if key is None:
        return hashlib.sha256(message).hexdigest()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


@event.listens_for(Session, "before_commit")
def write_pending(session: Session) -> None:
    """Append the queued rows to the chain, last thing before COMMIT.

    Every other change goes first (the ORM's flush, then the queued driver writes, sent with
    the chain's lock and head in one round trip); the rows themselves travel with the COMMIT
    (engine.statements.driver)."""
    pending = queue(session).pop(PENDING, None)
    if not pending:
        return
    session.flush()  # every other change first: the chain is extended under the write lock
    reads = [(audit_event.LAST_HASH_DIRECT, {})]
    if session.get_bind().dialect.name == "postgresql":
        reads.insert(0, (audit_event.LOCK, {"k": LOCK_KEY}))
    head = driver.fetch_many(session, reads)[-1]
    key = key_of(session)
    prev = head[0][0] if head else ""
    for item in pending:
        item["prev_hash"] = prev
        item["hash"] = prev = content_hash(item, prev, key)
        driver.write(session, audit_event.INSERT_DIRECT, item)
