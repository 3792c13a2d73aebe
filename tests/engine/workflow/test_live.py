"""The live-workflow cache: reused only for the exact stored state, never stale."""
from dataclasses import replace

import pytest

from engine.workflow import instances, live, state, tasks, versions
from engine.workflow.rows import read_row
from tests.factories import DATA


@pytest.fixture
def started(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    return instances.start(session, "review_loop", data, people["citizen"])


@pytest.fixture
def loads(monkeypatch):
    """How many times a workflow was rebuilt from stored bytes."""
    count = []
    real = state.load
    monkeypatch.setattr(state, "load", lambda *a: count.append(1) or real(*a))
    return count


def test_opening_a_task_leaves_its_workflow_for_the_completion(session, people, started, loads):
    [task] = tasks.tasks_for_user(session, people["staff"])
    shown = tasks.get_task(session, task.id, people["staff"])
    tasks.complete(session, task.id, people["staff"], {"text": "草稿"}, revision=shown.revision)
    assert loads == []
    [review] = tasks.tasks_for_user(session, people["lawyer"])
    assert review.key == "review"


def test_a_kept_workflow_never_replaces_a_newer_one(session, people, started):
    row = read_row(session, started.id)
    newer = object()
    live.offer(session, replace(row, revision=row.revision + 1), newer)
    session.commit()  # the commit hook keeps what the transaction offered
    live.keep(session, row, object())
    assert live._live[live._key(session, row.id)][1] is newer


def test_an_offer_of_a_transaction_that_did_not_commit_is_dropped(session, people, started):
    row = read_row(session, started.id)
    live.clear()
    live.offer(session, row, object())
    session.rollback()
    row = read_row(session, started.id)
    live.offer(session, row, object())
    session.close()  # ended without COMMIT either
    session.commit()
    assert live._live == {}


def test_a_stale_entry_is_not_used(session, people, started, loads):
    old = read_row(session, started.id)
    session.rollback()
    [task] = tasks.tasks_for_user(session, people["staff"])
    tasks.complete(session, task.id, people["staff"], {"text": "草稿"})  # a newer revision
    live.clear()
    live.keep(session, old, object())  # as if kept by a read that lost a race
    [review] = tasks.tasks_for_user(session, people["lawyer"])
    tasks.complete(session, review.id, people["lawyer"], {"decision": "approve"})
    assert len(loads) == 1  # the stale object was refused and the stored state loaded


def test_a_finished_instance_makes_no_room_for_itself(session, people, started):
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    waiting = instances.start(session, "review_loop", data, people["citizen"])
    steps = [("staff", {"text": "初稿"}), ("lawyer", {"decision": "approve"}),
             ("lawyer", {}), ("citizen", {"satisfied": True})]
    for role, values in steps:
        [task] = [t for t in tasks.tasks_for_user(session, people[role])
                  if t.instance_id == started.id]
        tasks.complete(session, task.id, people[role], values)
    assert read_row(session, started.id).status == "completed"
    session.rollback()
    assert live._key(session, started.id) not in live._live  # it will never move again
    assert live._key(session, waiting.id) in live._live  # the one that may is still there
    shown = tasks.get_task(session, task.id, people["citizen"])  # read from its row
    assert shown.data == {"satisfied": True} and not shown.actionable
    assert live._key(session, started.id) not in live._live
