"""A database outage during a timer sweep is the database's trouble, not the instance's:
nothing is counted against the instance, and its timer fires once the database is back."""
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.pool import NullPool

from engine import worker
from engine.db import DatabaseOutage
from engine.models import AuditEvent, ProcessInstance
from engine.workflow import timers
from tests.engine.worker_fixtures import (
    actors_fixture,  # noqa: F401 - the `actors` fixture
    deploy,
    start,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = T0 + timedelta(hours=1, minutes=1)  # failing_timer's 1-hour deadline has passed
OUTAGES = timers.MAX_FAILURES + 2


class Outage:
    """While `remaining` > 0, the database drops the connection under the diagram helper's
    query (the instance is mid-step): PostgreSQL terminates the session's backend, as a
    restart or failover would; SQLite's driver fails as with an unreadable file."""

    def __init__(self, engine, remaining: int):
        self.engine, self.remaining, self.hits = engine, remaining, 0
        self.admin = (create_engine(engine.url, poolclass=NullPool)
                      if engine.dialect.name == "postgresql" else None)
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if self.remaining <= 0 or "user_account.role" not in statement:
            return
        self.remaining -= 1
        self.hits += 1
        if self.admin is None:
            raise sqlite3.OperationalError("disk I/O error")
        pid = conn.connection.dbapi_connection.info.backend_pid
        with self.admin.connect() as admin:
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self)
        if self.admin is not None:
            self.admin.dispose()


@pytest.fixture
def due_instance(Session, actors):
    """A failing_timer instance whose deadline is due at DUE; its helper finds a duty officer."""
    deploy(Session, "failing_timer.bpmn")
    return start(Session, "failing_timer", {"lawyer_id": actors["lawyer"].id}, at=T0)


@pytest.fixture
def outage(Session):
    made = []

    def make(remaining: int) -> Outage:
        made.append(Outage(Session.kw["bind"], remaining))
        return made[-1]
    yield make
    for o in made:
        o.close()


def state(Session, instance_id: int) -> tuple:
    with Session() as s:
        row = s.get(ProcessInstance, instance_id)
        fired = s.scalar(select(AuditEvent.id).where(AuditEvent.instance_id == instance_id,
                                                     AuditEvent.action == "timer_fired"))
        return row.status, row.failures, row.error, fired is not None


def test_outages_mid_sweep_are_retried_and_never_become_an_incident(Session, due_instance,
                                                                    outage):
    down = outage(OUTAGES)
    with time_machine.travel(DUE, tick=False):
        for _ in range(OUTAGES):
            with pytest.raises(DatabaseOutage):
                timers.sweep(Session)
            assert state(Session, due_instance) == ("running", 0, None, False)
        assert down.hits == OUTAGES
        result = timers.sweep(Session)  # the database is back
    assert (result.fired, result.failed, result.incidents) == (1, 0, 0)
    assert state(Session, due_instance) == ("running", 0, None, True)
    with Session() as s:
        assert timers.list_incidents(s) == []


def test_the_worker_loop_rides_out_the_outages_then_fires_the_timer(Session, due_instance,
                                                                   outage):
    down = outage(OUTAGES)
    stop, stats = threading.Event(), []
    with time_machine.travel(DUE, tick=True):
        loop = threading.Thread(target=lambda: stats.append(
            worker.run(Session, None, poll_interval=0.05, stop_event=stop)))
        loop.start()
        deadline = time.monotonic() + 60
        while not state(Session, due_instance)[3]:
            assert loop.is_alive() and time.monotonic() < deadline
            time.sleep(0.05)
        stop.set()
        loop.join(30)
    [seen] = stats
    assert (seen.outages, down.hits) == (OUTAGES, OUTAGES) and seen.sweeps >= 1
    assert state(Session, due_instance) == ("running", 0, None, True)
