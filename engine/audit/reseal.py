"""Keying an audit log written before the chain was keyed (an upgrade, run once as the owner).

Older logs chained each row by an unkeyed SHA-256. Resealing recomputes every row's link as
the HMAC under the configured key, in one transaction with the guard triggers lifted and put
back. It is refused unless the whole log first verifies under the unkeyed hash, so a log that
was tampered with is never laundered into a valid keyed one.
"""
from datetime import UTC

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from engine.audit import LOCK_KEY, chained_hash, key_of
from engine.audit.verify import GUARD, UNGUARD, verify
from engine.errors import InvalidInput
from engine.models import AuditEvent
from engine.uow import transaction

_T = AuditEvent.__table__
_COLUMNS = ("id", "at", "action", "actor_id", "instance_id", "task_id", "task_key",
            "business_key", "data")


def reseal(session: Session) -> int:
    """Re-chain every row under the configured key; how many rows were resealed."""
    keyed = verify(session)
    if keyed.ok:
        raise InvalidInput(f"the audit chain already verifies under this key ({keyed.checked} "
                           "rows): nothing to reseal", {"audit": ["already keyed"]})
    old = verify(session, unkeyed=True)
    if not old.ok:
        raise InvalidInput(f"the unkeyed chain is broken at row {old.first_bad_id}: "
                           f"{old.reason}; nothing was resealed", {"audit": [old.reason]})
    dialect = session.get_bind().dialect.name
    with transaction(session):
        if dialect == "postgresql":
            # Appends wait on the chain's lock while it is rewritten.
            session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        for sql in UNGUARD.get(dialect, []):
            session.execute(text(sql))
        key, prev, count = key_of(session), "", 0
        rows = session.execute(select(*(_T.c[c] for c in _COLUMNS)).order_by(_T.c.id)).all()
        for row_id, at, *fields in rows:
            digest = chained_hash(key, prev, at.astimezone(UTC), *fields)
            session.execute(update(_T).where(_T.c.id == row_id)
                            .values(prev_hash=prev, hash=digest))
            prev, count = digest, count + 1
        for sql in GUARD.get(dialect, []):
            session.execute(text(sql))
    return count
