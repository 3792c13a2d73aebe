"""The timer sweep: fire every due timer exactly once, one instance per transaction.

A sweep reads due instance ids through the (status, next_timer_at, id) index, then processes
each in its own transaction: lock the row (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's BEGIN
IMMEDIATE serializes writers), check it is still due, advance it, save it. A worker that
loses the race sees the row locked or no longer due and moves on; the revision column is
the last line of defence. Killing a worker mid-instance rolls its transaction back, so the
instance stays due and the next sweep fires it.

A failing instance is retried with exponential backoff (its `next_timer_at` becomes the
retry time) and after MAX_FAILURES attempts becomes an incident for the administrators; one
that overran its time or size budget becomes an incident at once (trying again would only
burn the same budget again). Either way the sweep goes on with the next instance. A database
outage is not the instance's failure: the sweep stops with DatabaseOutage, nothing is
counted, and the instance stays due for the next sweep.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from engine import access, audit
from engine.actor import Actor
from engine.db import DatabaseOutage, is_outage
from engine.errors import (
    EngineError,
    InstanceFailed,
    NotFound,
    ScriptLimitExceeded,
    TaskConflict,
)
from engine.models import ProcessInstance, utcnow
from engine.uow import read_only, transaction
from engine.workflow import projection, rows, runtime
from engine.workflow.incidents import INCIDENT, RUNNING
from engine.workflow.instances import InstanceInfo
from engine.workflow.versions import version_of

MAX_FAILURES = 5
FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)


@dataclass
class SweepResult:
    """What one sweep did; `fired` counts instances, `timers` the timer events fired."""

    fired: int = 0
    timers: int = 0
    failed: int = 0
    incidents: int = 0
    conflicts: int = 0
    skipped: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class IncidentInfo:
    id: int
    key: str
    business_key: str | None
    error: str | None
    failures: int
    updated_at: datetime


def retry_delay(failures: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after the n-th failure, at most an hour."""
    return min(FIRST_RETRY * 2 ** (max(failures, 1) - 1), MAX_RETRY)


def due_query(now: datetime, batch: int, after: tuple[datetime, int] | None = None):
    """Ids of running instances due at `now`, in due order, after the keyset cursor."""
    pi = ProcessInstance
    query = select(pi.id, pi.next_timer_at).where(pi.status == RUNNING, pi.next_timer_at <= now)
    if after is not None:
        at, last_id = after
        later = or_(pi.next_timer_at > at, and_(pi.next_timer_at == at, pi.id > last_id))
        query = query.where(pi.next_timer_at >= at, later)
    return query.order_by(pi.next_timer_at, pi.id).limit(batch)


def sweep(sessions: sessionmaker[Session], now: datetime | None = None, batch: int = 50,
          limit: int | None = None, stop: Callable[[], bool] | None = None) -> SweepResult:
    """Fire the timers due at `now` (default: the clock); stop early when `stop()` says so."""
    now = now or utcnow()
    result, cursor, seen = SweepResult(), None, 0
    while limit is None or seen < limit:
        size = batch if limit is None else min(batch, limit - seen)
        with sessions() as session, read_only(session):
            due = session.execute(due_query(now, size, cursor)).all()
        for instance_id, at in due:
            if stop is not None and stop():
                return result
            fire(sessions, instance_id, now, result)
            cursor, seen = (at, instance_id), seen + 1
        if len(due) < size:
            break
    return result


def fire(sessions: sessionmaker[Session], instance_id: int, now: datetime,
         result: SweepResult) -> None:
    """Fire one instance's due timers in its own transaction; record a failure in another."""
    with sessions() as session:
        revision = None
        try:
            with transaction(session):
                if not _lock_due(session, instance_id, now):
                    result.skipped += 1
                    return
                loaded = runtime.load(session, instance_id, Actor.system())
                revision = loaded.row.revision
                fired = _advance(session, loaded)
        except TaskConflict:
            result.conflicts += 1
            return
        except Exception as exc:  # noqa: BLE001 - any error of one instance must not stop the sweep
            if is_outage(exc):
                # The database's trouble, not the instance's: never counted as a failure; the
                # sweep stops and the worker retries it once the database answers again.
                raise DatabaseOutage(f"instance {instance_id}: {type(exc).__name__}") from exc
            _failed(sessions, instance_id, revision, exc, now, result)
            return
    if fired:
        result.fired += 1
        result.timers += fired
    else:
        result.skipped += 1


def _lock_due(session: Session, instance_id: int, now: datetime) -> bool:
    # Re-checked under the lock: another worker may have fired it since the batch was read.
    pi = ProcessInstance
    return session.scalar(
        select(pi.id).where(pi.id == instance_id, pi.status == RUNNING, pi.next_timer_at <= now)
        .with_for_update(skip_locked=True)) is not None


def _advance(session: Session, loaded: runtime.Loaded) -> int:
    row = loaded.row
    waiting = [t for t in loaded.workflow.event_manager.tasks.values()
               if isinstance(t.task_spec.event_definition, TimerEventDefinition)]
    runtime.advance(loaded)
    fired = [t for t in waiting if t.state == TaskState.COMPLETED]
    if not fired:
        # Nothing was due after all (e.g. put back by hand): only correct the stored due time.
        if projection.next_timer_at(loaded.workflow) != row.next_timer_at:
            runtime.save(loaded)
        return 0
    for task in fired:
        audit.record(session, "timer_fired", None, instance_id=row.id, task_id=str(task.id),
                     task_key=task.task_spec.bpmn_id, business_key=row.business_key,
                     data={"name": task.task_spec.bpmn_name or "",
                           "due": task._get_internal_data("event_value")})
    row.failures, row.error = 0, None
    runtime.save(loaded)
    return len(fired)


def _failed(sessions: sessionmaker[Session], instance_id: int, revision: int | None,
            exc: Exception, now: datetime, result: SweepResult) -> None:
    """Count the failure; back off, or raise an incident after MAX_FAILURES."""
    if isinstance(exc, InstanceFailed):
        message = exc.detail
    else:
        message = exc.message if isinstance(exc, EngineError) else f"{type(exc).__name__}: {exc}"
    result.failed += 1
    result.errors.append((instance_id, message))
    with sessions() as session:
        try:
            with transaction(session):
                row = rows.read_row(session, instance_id)
                if row.status != RUNNING or (revision is not None and row.revision != revision):
                    return  # changed meanwhile (a user acted): the next sweep decides afresh
                row.failures += 1
                row.error, row.updated_at = message[:4000], utcnow()
                if row.failures >= MAX_FAILURES or isinstance(exc, ScriptLimitExceeded):
                    row.status = INCIDENT
                    result.incidents += 1
                else:
                    row.next_timer_at = now + retry_delay(row.failures)
                audit.record(session, "incident" if row.status == INCIDENT else "timer_failed",
                             None, instance_id=row.id, business_key=row.business_key,
                             data={"error": row.error, "failures": row.failures})
                rows.write_row(session, row)
        except (TaskConflict, NotFound):
            return


def next_due(session: Session) -> datetime | None:
    """The earliest time any running instance needs the worker (an index lookup)."""
    with read_only(session):
        return session.scalar(
            select(ProcessInstance.next_timer_at)
            .where(ProcessInstance.status == RUNNING, ProcessInstance.next_timer_at.is_not(None))
            .order_by(ProcessInstance.next_timer_at).limit(1))


def list_incidents(session: Session, limit: int = 200) -> list[IncidentInfo]:
    """Instances the worker gave up on, most recent first, with their error."""
    with read_only(session):
        found = session.scalars(select(ProcessInstance).where(ProcessInstance.status == INCIDENT)
                               .order_by(ProcessInstance.updated_at.desc()).limit(limit))
        return [IncidentInfo(r.id, r.process_key, r.business_key, r.error, r.failures,
                             r.updated_at) for r in found]


def retry_incident(session: Session, instance_id: int, actor: Actor) -> InstanceInfo:
    """Put an incident back in the worker's queue; the next sweep fires it."""
    access.require(actor, "retry_incident")
    with transaction(session):
        row = rows.read_row(session, instance_id)
        if row.status != INCIDENT:
            raise TaskConflict("该流程实例不处于故障状态")
        audit.record(session, "incident_retry", actor.id, instance_id=row.id,
                     business_key=row.business_key,
                     data={"error": row.error, "failures": row.failures})
        row.status, row.failures, row.error = RUNNING, 0, None
        row.next_timer_at = row.updated_at = utcnow()
        rows.write_row(session, row)
        number = version_of(session, row.version_id).number
    return InstanceInfo.of(row, number)
