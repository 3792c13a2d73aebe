"""process_instance rows read and written with plain SQL statements.

The hot path (load, advance, save) touches one instance row per use case; doing it with
Core statements (engine.statements.process_instance) instead of the ORM unit of work halves
the database cost of a step. The revision check is the instance's one optimistic lock: an
UPDATE that matches no row means someone else saved first.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.models import utcnow
from engine.statements import driver, process_instance


@dataclass
class InstanceRow:
    """A snapshot of one process_instance row."""

    id: int
    version_id: int
    process_key: str
    business_key: str | None
    parent_id: int | None
    status: str
    state: bytes
    revision: int
    next_timer_at: datetime | None
    started_by: int | None
    created_at: datetime
    updated_at: datetime
    error: str | None
    failures: int




def insert_row(session: Session, version_id: int, process_key: str, business_key: str | None,
               parent_id: int | None, started_by: int | None) -> InstanceRow:
    now = utcnow()
    values = dict(version_id=version_id, process_key=process_key, business_key=business_key,
                  parent_id=parent_id, status="running", state=b"", revision=1,
                  next_timer_at=None, started_by=started_by, created_at=now, updated_at=now,
                  error=None, failures=0)
    new_id = session.execute(process_instance.INSERT, values).scalar_one()
    return InstanceRow(id=new_id, **values)


def read_row(session: Session, instance_id: int) -> InstanceRow:
    found = driver.fetch(session, process_instance.READ_DIRECT, {"row_id": instance_id})
    if not found:
        raise NotFound("流程实例不存在")
    return InstanceRow(**found[0]._mapping)


def write_row(session: Session, row: InstanceRow) -> None:
    """Store version, state, status and timer, bumping the revision. The write is queued
    (engine.statements.driver); if the revision moved meanwhile, the use case fails with
    TaskConflict when the write is sent, before anything commits."""
    driver.write(session, process_instance.WRITE_DIRECT, {
        "row_id": row.id, "old_revision": row.revision, "version_id": row.version_id,
        "state": row.state, "status": row.status, "next_timer_at": row.next_timer_at,
        "updated_at": row.updated_at, "error": row.error, "failures": row.failures,
        "revision": row.revision + 1}, expect=1)
    row.revision += 1
