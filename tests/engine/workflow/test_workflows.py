"""The engine's workflow classes: same answers as SpiffWorkflow's, stored under its names."""
import zlib

import orjson
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.util.task import TaskState

from engine.workflow import instances, live, runtime, state, tasks, versions, workflows
from engine.workflow.workflows import EngineWorkflow
from tests.engine.walks import assert_walks_agree
from tests.factories import DATA


def loaded(session, instance_id, actor):
    live.clear()
    result = runtime.load(session, instance_id, actor)
    session.rollback()
    return result.workflow


def test_walks_agree_through_a_loop_with_a_timer(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    inst = instances.start(session, "review_loop", data, people["citizen"])
    for role, form in [("staff", {"text": "a"}), ("lawyer", {"decision": "revise"}),
                       ("staff", {"text": "b"}), ("lawyer", {"decision": "approve"})]:
        assert_walks_agree(loaded(session, inst.id, people[role]))
        [task] = tasks.tasks_for_user(session, people[role])
        tasks.complete(session, task.id, people[role], form)
    assert_walks_agree(loaded(session, inst.id, people["lawyer"]))


def test_a_lone_ready_task_beyond_the_walks_depth_is_not_found_as_by_the_library(
        session, people, monkeypatch):
    """Found without a walk, the lone ready task still obeys the depth the walk stops at."""
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    inst = instances.start(session, "review_loop", data, people["citizen"])
    workflow = loaded(session, inst.id, people["staff"])
    [ready] = [t for t in workflow.tasks.values() if t.state == TaskState.READY]
    assert workflow.get_tasks(state=TaskState.READY) == [ready]
    depth = ready.depth
    for limit in (depth - 1, depth, depth + 1):
        monkeypatch.setattr(workflows, "MAX_DEPTH", limit)
        library = list(BpmnTaskIterator(workflow.task_tree, state=TaskState.READY,
                                        max_depth=limit))
        assert workflow.get_tasks(state=TaskState.READY) == library == (
            [ready] if limit >= depth else []), limit


def test_states_are_stored_under_the_library_names(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    inst = instances.start(session, "review_loop", data, people["citizen"])
    workflow = loaded(session, inst.id, people["staff"])
    assert type(workflow) is EngineWorkflow
    stored = orjson.loads(zlib.decompress(state.dump(workflow)))
    assert stored["typename"] == "BpmnWorkflow"  # states written before these classes load too
