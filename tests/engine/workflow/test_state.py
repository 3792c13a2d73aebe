"""Save/reload round trip at every wait state, with the spec cache emptied (a restart)."""
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from uuid import UUID

import orjson
import time_machine
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.models import ProcessInstance
from engine.workflow import instances, live, runtime, state, tasks, versions
from engine.workflow.bundle import parse, read_files
from engine.workflow.script_helpers import ScriptContext, bind
from engine.workflow.scripting import script_engine
from engine.workflow.workflows import EngineWorkflow
from tests.factories import DATA

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def snapshot(session, instance_id, actor):
    """Reload from the database with an empty spec cache; return the converted workflow."""
    versions.clear_caches()
    live.clear()
    session.expire_all()
    loaded = runtime.load(session, instance_id, actor)
    session.rollback()
    return state.REGISTRY.convert(loaded.workflow), loaded


def test_round_trip_at_every_wait_state(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    with time_machine.travel(T0, tick=False):
        inst = instances.start(session, "review_loop", data, people["citizen"])
    steps = [("staff", {"text": "a"}), ("lawyer", {"decision": "revise"}), ("staff", {"text": "b"}),
             ("lawyer", {"decision": "approve"}), ("lawyer", {}), ("citizen", {"satisfied": True})]
    for role, form in steps:
        before, loaded = snapshot(session, inst.id, people[role])
        specs = versions.specs_for(versions.version_of(session, loaded.row.version_id))
        reloaded = state.load(state.dump(loaded.workflow), *specs, loaded.workflow.script_engine)
        again = state.REGISTRY.convert(reloaded)
        assert again == before
        [task] = tasks.tasks_for_user(session, people[role])
        with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
            tasks.complete(session, task.id, people[role], form)
    row = session.scalar(select(ProcessInstance))
    assert row.status == "completed"


def test_state_is_small(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    inst = instances.start(session, "review_loop", data, people["citizen"])
    row = session.get(ProcessInstance, inst.id)
    assert len(row.state) < 8 * 1024


def test_task_data_keeps_its_types(session, people):
    """Dates, durations and ids in task data come back as the same Python types."""
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    inst = instances.start(session, "review_loop", data, people["citizen"])
    loaded = runtime.load(session, inst.id, people["citizen"])
    session.rollback()
    [task] = loaded.workflow.get_tasks(state=TaskState.READY)
    values = {"when": T0, "within": timedelta(hours=5), "ref": UUID(int=7), "n": {1: "一"}}
    task.data.update(values)
    specs = versions.specs_for(versions.version_of(session, loaded.row.version_id))
    reloaded = state.load(state.dump(loaded.workflow), *specs, loaded.workflow.script_engine)
    again = reloaded.get_task_from_id(task.id).data
    assert {k: again[k] for k in ("when", "within", "ref")} == {
        "when": T0, "within": timedelta(hours=5), "ref": UUID(int=7)}
    assert again["n"] == {"1": "一"}  # JSON object keys are text, as before


def _plain(blob: bytes) -> dict:
    return orjson.loads(zlib.decompress(blob))


def _review_loop_workflow() -> EngineWorkflow:
    spec, subprocess_specs = parse(read_files([DATA / "review_loop.bpmn"])).specs["review_loop"]
    workflow = EngineWorkflow(spec, subprocess_specs,
                              script_engine=script_engine(bind(ScriptContext(None, None, None))))
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update({"reviewer_id": 2, "citizen_id": 3})
    workflow.do_engine_steps()
    return workflow


def _submit(workflow, *forms: dict) -> None:
    """Complete the lone ready user task with each form in turn."""
    for form in forms:
        [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
        task.data.update(form)
        task.run()
        workflow.do_engine_steps()


def test_the_reused_json_a_live_workflow_keeps_is_its_own_size_and_its_own_tasks():
    """What the live cache holds per workflow: each settled task's JSON at the size of its
    text (orjson's own bytes keep a 4 KB buffer each, ten times a task's JSON), and only
    for the tasks the workflow still has (a reset or a loop drops some)."""
    workflow = _review_loop_workflow()
    for form in ({"text": "a"}, {"decision": "revise"}, {"text": "b"}, {"decision": "revise"}):
        _submit(workflow, form)
        state.dump(workflow)
    workflow.reset_from_task_id(next(t for t in workflow.get_tasks(state=TaskState.COMPLETED)
                                     if t.task_spec.bpmn_id == "draft").id)
    state.dump(workflow)
    kept = workflow.__dict__[state._REUSE]
    assert kept and kept.keys() <= workflow.tasks.keys()

    state.forget_reused(workflow)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        saved = state.dump(workflow)
        held = tracemalloc.get_traced_memory()[0] - before - len(saved)
    finally:
        tracemalloc.stop()
    kept = workflow.__dict__[state._REUSE]
    text = sum(len(orjson.dumps(fragment)) for _stamp, fragment in kept.values())
    assert held < text + 400 * len(kept), (held, text, len(kept))  # + a stamp, a dict slot


def test_finished_tasks_reused_json_follows_what_changes_them():
    """The JSON of finished tasks is reused from one save to the next of a live workflow;
    whatever changes one (its data replaced, a reset) shows in the next save."""
    workflow = _review_loop_workflow()
    for form in ({"text": "a"}, {"decision": "revise"}):
        _submit(workflow, form)
        assert _plain(state.dump(workflow)) == _plain(state.dump(workflow, reuse=False))
    draft = next(t for t in workflow.get_tasks(state=TaskState.COMPLETED)
                 if t.task_spec.bpmn_id == "draft")
    draft.data = {**draft.data, "text": "changed"}
    saved = _plain(state.dump(workflow))
    assert saved == _plain(state.dump(workflow, reuse=False))
    assert saved["tasks"][str(draft.id)]["delta"]["updates"]["text"] == "changed"
    workflow.reset_from_task_id(draft.id)
    assert _plain(state.dump(workflow)) == _plain(state.dump(workflow, reuse=False))


def test_a_loaded_workflow_reuses_its_stored_json_until_a_task_moves():
    """A workflow rebuilt from its row converts only what moves at its next save: its settled
    tasks' JSON is the stored one, and the save equals a conversion of every task afresh."""
    workflow = _review_loop_workflow()
    _submit(workflow, {"text": "a"}, {"decision": "revise"})
    specs = (workflow.spec, workflow.subprocess_specs)
    loaded = state.load(state.dump(workflow), *specs, workflow.script_engine)
    kept = loaded.__dict__[state._REUSE]
    finished = {t.id for t in loaded.get_tasks(state=TaskState.FINISHED_MASK)}
    assert finished and finished <= kept.keys()  # taken from the stored bytes

    _submit(loaded, {"text": "b"})
    draft = next(t for t in loaded.get_tasks(state=TaskState.COMPLETED)
                 if t.task_spec.bpmn_id == "draft")
    draft.data = {**draft.data, "text": "changed"}  # a finished task's data replaced
    saved = _plain(state.dump(loaded))
    assert saved == _plain(state.dump(loaded, reuse=False))
    assert saved["tasks"][str(draft.id)]["delta"]["updates"]["text"] == "changed"
