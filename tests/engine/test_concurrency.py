"""Two sessions completing the same task at the same moment: exactly one wins."""
import threading

import pytest

from engine import instances, runtime, tasks, versions
from engine.errors import TaskConflict
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
