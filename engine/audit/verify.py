"""Checking the audit chain, and a database guard that keeps audit rows from changing.

Every audit row stores an HMAC of its content chained to the previous row's (engine.audit).
Walking the rows in id order and recomputing each finds the first row that was altered (its
content no longer gives its hash; without the key nobody can compute a matching one) or that
follows a deleted row (its prev_hash is not the hash of the row now before it). Deleting the
newest rows leaves a valid, shorter chain: anchors written outside the database
(engine.audit.anchor) catch that, as an anchored row that is gone or different.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from engine.audit import chained_hash, key_of
from engine.audit.anchor import Anchor, check_anchors
from engine.models import AuditEvent
from engine.uow import read_only, transaction

ALTERED = "content does not match its hash (the row was altered)"
UNLINKED = "prev_hash does not match the previous row (a row before it was deleted or altered)"
_COLUMNS = ("id", "at", "action", "actor_id", "instance_id", "task_id", "task_key",
            "business_key", "data", "prev_hash", "hash")


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # rows read, including the first bad one
    first_bad_id: int | None = None
    reason: str = ""
    anchors: int = 0  # anchors checked

    def message(self) -> str:
        if self.ok:
            matched = f"; {self.anchors} anchors match" if self.anchors else ""
            return f"audit chain ok: {self.checked} rows{matched}"
        return f"audit chain broken at row {self.first_bad_id}: {self.reason}"


def verify(session: Session, batch: int = 5000, anchors: Sequence[Anchor] = (),
           unkeyed: bool = False) -> VerifyResult:
    """Walk the whole chain in id order, streaming; stop at the first bad row; then check
    that every anchor's row is still there with the anchored hash (`unkeyed`: check a log
    written before the chain was keyed, see engine.audit.reseal).

    Plain Core rows through a server-side cursor (PostgreSQL) in batches: no ORM objects
    and no per-row dicts, so 100,000 rows take about a second rather than several."""
    prev, checked, last_id = "", 0, None
    wanted = {a.id for a in anchors}
    seen: dict[int, str] = {}
    table = AuditEvent.__table__
    query = select(*(table.c[name] for name in _COLUMNS)).order_by(table.c.id)
    with read_only(session, one_transaction=True):  # the server-side cursor needs one
        key = None if unkeyed else key_of(session)
        rows = session.connection().execute(
            query, execution_options={"stream_results": True, "yield_per": batch})
        for row_id, at, *fields, prev_hash, digest in rows:
            checked += 1
            if prev_hash != prev:
                return VerifyResult(False, checked, row_id, UNLINKED)
            # PostgreSQL returns timestamptz in the session's zone; the hash was taken in UTC.
            if chained_hash(key, prev, at.astimezone(UTC), *fields) != digest:
                return VerifyResult(False, checked, row_id, ALTERED)
            if row_id in wanted:
                seen[row_id] = digest
            prev, last_id = digest, row_id
    problem = check_anchors(anchors, seen, last_id)
    if problem is not None:
        return VerifyResult(False, checked, problem[0], problem[1], len(anchors))
    return VerifyResult(True, checked, anchors=len(anchors))


GUARD = {
    "postgresql": [
        """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
           LANGUAGE plpgsql AS $$
           BEGIN RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP; END $$""",
        "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
        """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
           FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
        """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
           FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()""",
    ],
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
           BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END""",
        """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
           BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END""",
    ],
}
UNGUARD = {
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event",
                   "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event"],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update",
               "DROP TRIGGER IF EXISTS audit_event_no_delete"],
}


def protect(session: Session) -> None:
    """Install triggers that refuse UPDATE and DELETE on audit_event (idempotent).

    This stops application bugs and casual edits; whoever owns the schema can still drop the
    triggers, which is what `verify` is for.
    """
    _run(session, GUARD)


def unprotect(session: Session) -> None:
    """Remove the triggers (maintenance, e.g. archiving old rows)."""
    _run(session, UNGUARD)


def _run(session: Session, statements: dict[str, list[str]]) -> None:
    with transaction(session):
        for sql in statements.get(session.get_bind().dialect.name, []):
            session.execute(text(sql))
