"""A step that fails while someone acts makes its instance an incident, and only that one.

The use case's transaction has rolled back (nothing of the step is kept); in a transaction of
its own the instance is marked for the administrators (`/ops/incidents`, where they retry it)
with the error, and the person who acted gets the error's message (HTTP 422).
"""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.errors import InstanceFailed, NotFound, TaskConflict
from engine.models import utcnow
from engine.uow import transaction
from engine.workflow import rows

RUNNING, INCIDENT = "running", "incident"


@contextmanager
def recorded(session: Session, actor: Actor) -> Iterator[None]:
    """Around a use case: an InstanceFailed from it marks its instance, then goes on up."""
    try:
        yield
    except InstanceFailed as exc:
        if exc.instance_id is not None:
            mark(session, exc.instance_id, exc, actor.id)
        raise


def mark(session: Session, instance_id: int, exc: InstanceFailed,
         actor_id: int | None = None) -> bool:
    """Make a running instance an incident with `exc`'s detail; False if it is not running
    (or changed meanwhile)."""
    try:
        with transaction(session):
            row = rows.read_row(session, instance_id)
            if row.status != RUNNING:
                return False
            row.status, row.failures = INCIDENT, row.failures + 1
            row.error, row.updated_at = exc.detail[:4000], utcnow()
            audit.record(session, "incident", actor_id, instance_id=row.id,
                         business_key=row.business_key,
                         data={"error": row.error, "failures": row.failures})
            rows.write_row(session, row)
            return True
    except (TaskConflict, NotFound):
        return False
