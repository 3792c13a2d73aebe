"""Two sessions completing the same task at the same moment: exactly one wins."""
import threading

import pytest
from sqlalchemy import update

from engine.errors import TaskConflict
from engine.models import User
from engine.uow import transaction
from engine.workflow import instances, runtime, tasks, versions
from tests.engine.conftest import DATA


def test_simultaneous_completion_on_two_connections(Session, people, db_engine, monkeypatch):
    if db_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers with BEGIN IMMEDIATE; this race needs PostgreSQL")
    with Session() as s:
        versions.deploy(s, [DATA / "review_loop.bpmn"])
        data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
        instances.start(s, "review_loop", data, people["citizen"])
        [task] = tasks.tasks_for_user(s, people["staff"])

    # Both sessions load the same revision and advance the workflow before either writes.
    barrier = threading.Barrier(2, timeout=10)
    real_advance = runtime.advance_if_due

    def advance_then_wait_for_the_other(loaded):
        real_advance(loaded)
        barrier.wait()

    monkeypatch.setattr(runtime, "advance_if_due", advance_then_wait_for_the_other)
    outcomes = []

    def attempt(text):
        with Session() as s:
            try:
                tasks.complete(s, task.id, people["staff"], {"text": text})
                outcomes.append("ok")
            except TaskConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=attempt, args=(t,)) for t in ("甲", "乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    with Session() as s:
        [review] = tasks.tasks_for_user(s, people["lawyer"])
        assert review.key == "review"


def test_reads_run_beside_a_use_case_that_writes(Session, people, db_engine):
    """A writer holds the database's write lock (SQLite) or its rows (PostgreSQL) for its
    whole use case; inboxes and task pages are still answered meanwhile."""
    with Session() as s:
        versions.deploy(s, [DATA / "review_loop.bpmn"])
        data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
        instances.start(s, "review_loop", data, people["citizen"])
        [task] = tasks.tasks_for_user(s, people["staff"])

    writing, reads_done = threading.Event(), threading.Event()
    seen = []

    def read_while_writing():
        writing.wait(10)
        with Session() as s:
            seen.append([t.id for t in tasks.tasks_for_user(s, people["staff"])])
            seen.append(tasks.get_task(s, task.id, people["staff"]).task.id)
        reads_done.set()

    reader = threading.Thread(target=read_while_writing)
    reader.start()
    with Session() as s, transaction(s):
        s.execute(update(User).where(User.id == people["staff"].id).values(display_name="陈"))
        writing.set()
        # The reads finish while this transaction still holds the write lock.
        assert reads_done.wait(10), "a read waited for the writer"
    reader.join(10)
    assert seen == [[task.id], task.id]
