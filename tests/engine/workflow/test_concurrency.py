"""Two sessions completing the same task at the same moment: exactly one wins."""
import threading

import pytest
from sqlalchemy import select, update

from engine.actor import Actor
from engine.errors import TaskConflict
from engine.models import AuditEvent, ProcessInstance, User
from engine.uow import transaction
from engine.workflow import instances, runtime, tasks, versions
from engine.workflow.rows import read_row
from tests.factories import DATA


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


def _parallel_pair(Session, people):
    """An instance with two user tasks open at once: (staff's task, lawyer's task)."""
    with Session() as s:
        versions.deploy(s, [DATA / "parallel_pair.bpmn"])
        instances.start(s, "parallel_pair", {}, people["citizen"])
        [staff_task] = tasks.tasks_for_user(s, people["staff"])
        [lawyer_task] = tasks.tasks_for_user(s, people["lawyer"])
    return staff_task, lawyer_task


def test_parallel_tasks_completed_together_conflict_instead_of_a_duplicate_task(
        Session, people, db_engine, monkeypatch):
    """The lawyer's completion has advanced its copy of the workflow when the staff member's
    commits; saving it then must be a conflict (the revision moved), not a second insert of
    the staff member's already completed task."""
    if db_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers with BEGIN IMMEDIATE; this race needs PostgreSQL")
    staff_task, lawyer_task = _parallel_pair(Session, people)
    lawyer_waiting, staff_done = threading.Event(), threading.Event()
    real_run_task = runtime.run_task

    def run_task(loaded, task):
        if threading.current_thread().name == "lawyer":
            lawyer_waiting.set()
            assert staff_done.wait(10)
        real_run_task(loaded, task)

    monkeypatch.setattr(runtime, "run_task", run_task)
    outcome = {}

    def lawyer_completes():
        with Session() as s:
            try:
                tasks.complete(s, lawyer_task.id, people["lawyer"], {})
                outcome["lawyer"] = "ok"
            except TaskConflict:
                outcome["lawyer"] = "conflict"

    lawyer = threading.Thread(target=lawyer_completes, name="lawyer")
    lawyer.start()
    assert lawyer_waiting.wait(10)
    with Session() as s:
        tasks.complete(s, staff_task.id, people["staff"], {})
    staff_done.set()
    lawyer.join(20)
    assert outcome == {"lawyer": "conflict"}
    with Session() as s:  # the lawyer reloads and completes; the instance goes on
        tasks.complete(s, lawyer_task.id, people["lawyer"], {})
        assert [t.key for t in tasks.tasks_for_user(s, people["staff"])] == ["sign_off"]


def test_one_persons_two_simultaneous_claims_both_succeed(Session, people, db_engine,
                                                          monkeypatch):
    if db_engine.dialect.name != "postgresql":
        pytest.skip("SQLite serializes writers with BEGIN IMMEDIATE; this race needs PostgreSQL")
    staff_task, _ = _parallel_pair(Session, people)
    barrier = threading.Barrier(2, timeout=10)
    real_ready = tasks._ready

    def ready_then_wait_for_the_other(*args):
        found = real_ready(*args)
        barrier.wait()  # both have read the task unclaimed
        return found

    monkeypatch.setattr(tasks, "_ready", ready_then_wait_for_the_other)
    outcomes = []

    def claim():
        with Session() as s:
            try:
                outcomes.append(tasks.claim(s, staff_task.id, people["staff"]).claimed_by)
            except TaskConflict:
                outcomes.append("conflict")

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert outcomes == [people["staff"].id] * 2
    with Session() as s:
        claims = s.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "claim"))
        assert list(claims) == [people["staff"].id]  # claimed once


def test_an_instance_row_is_never_written_by_the_orm(session, people):
    """The revision check on the Core UPDATE is the only lock: an ORM write would skip it."""
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    started = instances.start(session, "review_loop", data, people["citizen"])
    row = session.get(ProcessInstance, started.id)
    row.status = "completed"
    with pytest.raises(RuntimeError, match="revision check"):
        session.flush()
    session.rollback()
    assert session.get(ProcessInstance, started.id).status == "running"


def test_a_save_that_lost_the_race_is_a_conflict(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    started = instances.start(session, "review_loop", data, people["citizen"])
    with pytest.raises(TaskConflict), transaction(session):
        loaded = runtime.load(session, started.id, Actor.system())
        session.execute(update(ProcessInstance).where(ProcessInstance.id == started.id)
                        .values(revision=ProcessInstance.revision + 1))  # someone saved first
        runtime.save(loaded)
    assert read_row(session, started.id).revision == started.revision  # nothing written
