"""A small per-process cache of live workflows, keyed by instance and revision.

Deserializing a workflow is most of the cost of loading it. A workflow saved by a committed
transaction is kept here with the revision it was saved at; the next use case on the same
instance takes it (exclusively) if the database still has that revision, and otherwise
deserializes as usual. A workflow is offered during the transaction and kept only once it
has committed (the Session's `after_commit`); a transaction that fails never returns its
workflow (engine.db drops its queue), so nothing uncommitted can leak into a later use case.

A completed instance is not kept: it never moves again, so it would only push out one that
may, and every workflow pushed out is garbage the collector has to find among the long-lived
objects (with each completion evicting one, collections took 7 % of a lifecycle on
bench/engine_bench.py's diagram; 1 % without).
"""
import zlib
from collections import OrderedDict
from threading import Lock

from sqlalchemy import event
from sqlalchemy.orm import Session

from engine.db import queue

PENDING = "live"  # this module's queue in engine.db.queue
_MAX = 512
_live: OrderedDict[tuple, tuple] = OrderedDict()
_lock = Lock()


def _key(session: Session, instance_id: int) -> tuple:
    return (session.get_bind().url, instance_id)  # a URL object hashes without rendering


def take(session: Session, row) -> tuple:
    """(workflow, projected) cached for the row's exact stored state, removed from the cache;
    (None, None) when there is none. `projected` is the instance's ready human_task rows
    (id -> due_at) as the save that stored this revision wrote them, or None if unknown."""
    with _lock:
        entry = _live.pop(_key(session, row.id), None)
    if entry is not None and entry[0] == (row.revision, zlib.crc32(row.state)):
        return entry[1], entry[2]
    return None, None


def offer(session: Session, row, workflow, projected: dict | None = None) -> None:
    """Keep `workflow` (and the ready rows its save projected) once the current transaction
    commits (see `committed`). Whatever changes an instance's human_task rows otherwise moves
    its revision on (engine.consultation.reassign), so the entry is then never taken."""
    if row.status == "completed":
        return
    queue(session).setdefault(PENDING, []).append((row, workflow, projected))


@event.listens_for(Session, "after_commit")
def committed(session: Session) -> None:
    """Keep the workflows the transaction that just committed offered, at their revisions."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction may still roll back
    offered = queue(session).pop(PENDING, None)
    if not offered:
        return
    entries = [(_key(session, row.id), (row.revision, zlib.crc32(row.state)), wf, projected)
               for row, wf, projected in offered]
    with _lock:
        for key, stamp, workflow, projected in entries:
            _live[key] = (stamp, workflow, projected)
            _live.move_to_end(key)
        while len(_live) > _MAX:
            _live.popitem(last=False)


def keep(session: Session, row, workflow, projected: dict | None = None) -> None:
    """Put back a workflow that a read used without changing it (it matches the stored row),
    unless the cache already holds one for the instance (possibly a newer revision)."""
    if row.status == "completed":
        return
    key = _key(session, row.id)
    with _lock:
        if key not in _live:
            _live[key] = ((row.revision, zlib.crc32(row.state)), workflow, projected)
            while len(_live) > _MAX:
                _live.popitem(last=False)


def clear() -> None:
    with _lock:
        _live.clear()
