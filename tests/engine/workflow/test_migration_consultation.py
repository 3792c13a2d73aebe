"""The real consultation diagram moved to a v2 with a quality check after the lawyer's answer
is published (derived here by an XML edit).

This runs at the workflow level (`engine.workflow_migration`) with stand-in helpers, so each
wait state is reached in a few lines; the database side of migration (snapshots, task rows,
rollback) is covered by test_migration.py.
"""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser
from SpiffWorkflow.util.task import TaskState

from engine.workflow import state
from engine.workflow.workflow_migration import SpecDiffs, apply, plan
from tests.factories import PROCESSES, QUESTION, consultation_v2
from tests.processes.helpers_contract import HELPERS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START = dict(QUESTION, consultation_id=1, citizen_id=7)
ANSWER = dict(decision="answer", answer_text="可以申请劳动仲裁。", refuse_reason=None,
              delegate_to=None, sensitive=False, attention=False, keep_flagged=False)


def load_specs(consultation: str) -> tuple:
    parser = CamundaParser()
    for path in sorted(PROCESSES.glob("*.bpmn")):
        text = consultation if path.name == "consultation.bpmn" else path.read_text("utf-8")
        parser.add_bpmn_str(text.encode("utf-8"), path.name)
    parser.add_dmn_files(sorted(str(p) for p in PROCESSES.glob("*.dmn")))
    return parser.get_spec("consultation"), parser.get_subprocess_specs("consultation")


@pytest.fixture(scope="module")
def versions():
    v1 = (PROCESSES / "consultation.bpmn").read_text("utf-8")
    return load_specs(v1), load_specs(consultation_v2(v1))


def stand_ins() -> dict:
    def require(condition, field, message):
        if not condition:
            raise ValueError(f"{field}: {message}")
    env = {name: (lambda *args: None) for name in HELPERS}
    env.update(require=require, find_lawyer=lambda cid, category, exclude: 101,
               publish_answer=lambda *args: 1, institution_of=lambda user_id: 500,
               report_flags=lambda cid, sensitive, attention: [])
    return env


def start(specs) -> BpmnWorkflow:
    engine = PythonScriptEngine(environment=TaskDataEnvironment(stand_ins()))
    workflow = BpmnWorkflow(*specs, script_engine=engine)
    workflow.get_tasks(state=TaskState.READY)[0].data.update(START)
    workflow.do_engine_steps()
    return workflow


def ready(workflow) -> list[str]:
    return sorted(t.task_spec.bpmn_id
                  for t in workflow.get_tasks(state=TaskState.READY, manual=True))


def complete(workflow, bpmn_id: str, **data) -> None:
    [task] = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
              if t.task_spec.bpmn_id == bpmn_id]
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()


def timers(workflow) -> dict[str, str]:
    return {t.task_spec.bpmn_id: t.internal_data.get("event_value")
            for t in workflow.get_tasks(state=TaskState.WAITING)
            if t.task_spec.bpmn_id and "event_value" in t.internal_data}


def migrated(workflow, v2) -> BpmnWorkflow:
    """Move, then save and reload the way the engine stores instances."""
    found = plan(workflow, *v2, SpecDiffs())
    assert found.can_migrate, found.reason
    apply(found, workflow, *v2)
    return state.load(state.dump(workflow), *v2, workflow.script_engine)


def test_waiting_lawyer_moves_keeps_the_5_hour_deadline_and_meets_the_new_step(versions):
    v1, v2 = versions
    with time_machine.travel(T0, tick=False) as clock:
        workflow = start(v1)
        assert ready(workflow) == ["answer_consultation"]
        deadlines = timers(workflow)
        assert set(deadlines) >= {"stage_reminder", "stage_overdue"}
        clock.move_to(T0 + timedelta(hours=3))
        workflow = migrated(workflow, v2)
        assert timers(workflow) == deadlines  # not three hours later
        [task] = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert task.task_spec.bpmn_name == "解答咨询（5小时内）"
        complete(workflow, "answer_consultation", **ANSWER)
        assert ready(workflow) == ["quality_check"]
        complete(workflow, "quality_check")
        assert ready(workflow) == ["rate_answer"]


def test_waiting_lawyer_past_the_original_deadline_is_escalated(versions):
    v1, v2 = versions
    with time_machine.travel(T0, tick=False) as clock:
        workflow = start(v1)
        clock.move_to(T0 + timedelta(hours=3))
        workflow = migrated(workflow, v2)
        clock.move_to(T0 + timedelta(hours=5, minutes=1))
        workflow.refresh_timers()
        workflow.do_engine_steps()
        assert "handle_overdue" in ready(workflow)


def test_delegated_draft_moves_and_reaches_the_new_step(versions):
    v1, v2 = versions
    workflow = start(v1)
    complete(workflow, "answer_consultation", **{**ANSWER, "decision": "delegate",
                                                 "answer_text": "", "delegate_to": 201})
    assert ready(workflow) == ["draft_answer"]
    workflow = migrated(workflow, v2)
    complete(workflow, "draft_answer", draft_text="初稿")
    complete(workflow, "review_draft", draft_decision="approve", review_comment="")
    assert ready(workflow) == ["quality_check"]


def test_answered_consultation_is_refused_and_untouched(versions):
    v1, v2 = versions
    workflow = start(v1)
    complete(workflow, "answer_consultation", **ANSWER)
    assert ready(workflow) == ["rate_answer"]
    before = state.dump(workflow)
    found = plan(workflow, *v2, SpecDiffs())
    assert not found.can_migrate
    assert "gw_held" in found.reason and "outputs" in found.reason
    assert state.dump(workflow) == before
