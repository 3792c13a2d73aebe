"""Workers as real OS processes: several share the work, a killed one loses nothing."""
import os
import signal
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from engine import worker
from engine.models import AuditEvent, ProcessInstance
from engine.notifications import outbox
from tests.engine.worker_fixtures import (
    actors_fixture,  # noqa: F401 - the `actors` fixture
    skip_unless_postgres,
    url_of,
    waiting_instances,
)

ROOT = Path(__file__).resolve().parents[2]
OVERDUE = datetime.now(UTC) - timedelta(days=8)  # timer_only waits 7 days

SWEEP = """
import sys
from engine.workflow import timers
from engine.db import make_sessionmaker
result = timers.sweep(make_sessionmaker(sys.argv[1]), batch=int(sys.argv[2]))
print(result.fired, result.conflicts, result.skipped, result.failed)
"""

# Waits to be killed between writing an instance (and its audit rows) and committing it.
PAUSE_BEFORE_COMMIT = """
import sys, time
from sqlalchemy import event
from sqlalchemy.orm import Session
from engine import audit  # registers its before_commit hook first: the pause comes after it
from engine.db import queue
from engine.workflow import timers
from engine.db import make_sessionmaker
fired = 0
@event.listens_for(Session, "before_commit", insert=True)
def note_firing(session):
    pending = queue(session).get(audit.PENDING, [])
    session.info["firing"] = any(e["action"] == "timer_fired" for e in pending)
@event.listens_for(Session, "before_commit")
def pause_after_writing(session):
    global fired
    if session.info.pop("firing", False):  # the instance and its audit rows are written
        fired += 1
        if fired == int(sys.argv[2]):
            print("PAUSED", flush=True)
            time.sleep(600)
timers.sweep(make_sessionmaker(sys.argv[1]), batch=10)
"""

RUN_LOOP = """
import sys
from engine import worker
from engine.db import make_sessionmaker
print("STARTED", flush=True)
worker.run(make_sessionmaker(sys.argv[1]), None, poll_interval=0.2)
print("STOPPED", flush=True)
"""


def python(code: str, *args) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-c", code, *map(str, args)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def fired_per_instance(Session) -> dict[int, int]:
    with Session() as s:
        return dict(s.execute(select(AuditEvent.instance_id, func.count()).where(
            AuditEvent.action == "timer_fired").group_by(AuditEvent.instance_id)).all())


def statuses(Session) -> dict[str, int]:
    with Session() as s:
        return dict(s.execute(select(ProcessInstance.status, func.count())
                              .group_by(ProcessInstance.status)).all())


def two_workers_fire_each_timer_once(Session, count: int) -> None:
    db_url = url_of(Session)
    ids = waiting_instances(Session, count, OVERDUE)
    workers = [python(SWEEP, db_url, 20) for _ in range(2)]
    outputs = [w.communicate(timeout=600) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err for _, err in outputs]
    fired = [int(out.split()[0]) for out, _ in outputs]
    assert sum(fired) == count
    assert fired_per_instance(Session) == {i: 1 for i in ids}
    assert statuses(Session) == {"completed": count}
    with Session() as s:  # advanced exactly once: one save after the bulk insert
        assert set(s.scalars(select(ProcessInstance.revision)
                             .where(ProcessInstance.business_key.like("bulk-%")))) == {2}


def test_two_worker_processes_on_postgres_fire_500_timers_once(Session):
    skip_unless_postgres(Session)
    two_workers_fire_each_timer_once(Session, 500)


def test_two_worker_processes_fire_each_timer_once(Session):
    two_workers_fire_each_timer_once(Session, 60)


def test_a_worker_killed_before_commit_loses_nothing(Session):
    db_url = url_of(Session)
    ids = waiting_instances(Session, 30, OVERDUE)
    victim = python(PAUSE_BEFORE_COMMIT, db_url, 3)
    try:
        line = victim.stdout.readline()
        assert line.strip() == "PAUSED", victim.stderr.read()
    finally:
        victim.send_signal(signal.SIGKILL)
        victim.communicate(timeout=60)
    assert statuses(Session) == {"completed": 2, "running": 28}  # the third rolled back
    assert sum(fired_per_instance(Session).values()) == 2

    survivor = python(SWEEP, db_url, 10)
    out, err = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, err
    assert int(out.split()[0]) == 28
    assert fired_per_instance(Session) == {i: 1 for i in ids}
    assert statuses(Session) == {"completed": 30}


def test_sigterm_stops_the_loop_cleanly_between_instances(Session):
    db_url = url_of(Session)
    ids = waiting_instances(Session, 200, OVERDUE)
    loop = python(RUN_LOOP, db_url)
    assert loop.stdout.readline().strip() == "STARTED"
    while not fired_per_instance(Session):
        pass  # wait until it is busy firing
    loop.send_signal(signal.SIGTERM)
    out, err = loop.communicate(timeout=120)
    assert loop.returncode == 0, err
    assert "STOPPED" in out
    fired = fired_per_instance(Session)
    assert set(fired.values()) == {1}
    assert statuses(Session).get("completed", 0) == len(fired)  # nothing half-written

    worker.run(Session, None, once=True)
    assert fired_per_instance(Session) == {i: 1 for i in ids}


def test_run_once_fires_due_timers_and_sends_nothing_without_smtp(Session, actors):
    ids = waiting_instances(Session, 3, OVERDUE)
    with Session() as s:
        outbox.notify(s, actors["lawyer"].id, "task_assigned", "新任务")
        s.commit()
    worker.run(Session, None, once=True, stop_event=threading.Event())
    assert fired_per_instance(Session) == {i: 1 for i in ids}
    with Session() as s:
        assert [n.subject for n in outbox.list_for_user(s, actors["lawyer"].id)] == ["新任务"]
    assert worker.sleep_for(Session, 5.0) == 5.0  # nothing waits: poll again later
