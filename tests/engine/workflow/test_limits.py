"""Limits on what a diagram can do: a runaway script or loop is stopped within seconds and
becomes an incident on its instance only; too frequent timer cycles are refused at deploy."""
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from engine.actor import Actor
from engine.errors import BundleInvalid, ScriptLimitExceeded
from engine.models import AuditEvent, ProcessInstance
from engine.workflow import instances, limits, tasks, timers, versions
from engine.workflow.bundle import check_cycle
from tests.engine.worker_fixtures import (
    DATA,
    actors_fixture,  # noqa: F401 - the `actors` fixture
    deploy,
    start,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NO_HANG = 30  # seconds: far above the budgets (2 s a script, 5 s a step); proves "no hang"


def instance(Session, instance_id: int) -> ProcessInstance:
    with Session() as s:
        return s.get(ProcessInstance, instance_id)


def complete_first(Session, actor: Actor) -> tuple[float, ScriptLimitExceeded]:
    """Complete the actor's first task; returns (seconds taken, the error it answered)."""
    with Session() as s:
        [task] = tasks.tasks_for_user(s, actor)
        began = time.monotonic()
        with pytest.raises(ScriptLimitExceeded) as err:
            tasks.complete(s, task.id, actor, {})
        return time.monotonic() - began, err.value


@pytest.mark.parametrize("diagram, element, what", [
    # `while True` meets whichever budget comes first on this machine: work or time.
    ("runaway_loop", "spin", ("运算超过 1000000 步", "超过时间限制")),
    ("runaway_allocation", "spin", ("字符串超过大小限制",)),
])
def test_a_runaway_script_answers_quickly_and_leaves_an_incident(Session, actors, capsys,
                                                                 diagram, element, what):
    deploy(Session, f"{diagram}.bpmn")
    citizen = actors["citizen"]
    iid = start(Session, diagram, {})
    took, err = complete_first(Session, citizen)
    with capsys.disabled():
        print(f"\n{diagram}: the step answered in {took:.2f} s: {err.message}")
    assert took < NO_HANG
    assert f"“{element}”" in err.message and any(w in err.message for w in what)
    assert "转为故障" in err.message and err.instance_id == iid
    row = instance(Session, iid)
    assert row.status == "incident" and row.error.startswith(f"{element}:")
    with Session() as s:  # the step was rolled back: the citizen's task is still there
        assert [t.key for t in tasks.tasks_for_user(s, citizen)] == ["prepare"]
        incidents = [i.id for i in timers.list_incidents(s)]
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.instance_id == iid))
        assert incidents == [iid] and "incident" in list(actions)


def test_a_loop_of_automatic_tasks_is_capped(Session):
    deploy(Session, "engine_loop.bpmn")
    assert instance(Session, start(Session, "engine_loop", {"rounds": 0, "limit": 5})).status \
        == "completed"  # a short loop runs to its end
    with Session() as s:
        began = time.monotonic()
        with pytest.raises(ScriptLimitExceeded) as err:
            instances.start(s, "engine_loop", {"rounds": 0, "limit": 10**9}, Actor.system())
        assert time.monotonic() - began < NO_HANG
        assert "步骤超过 500 个" in err.value.message and "未能启动" in err.value.message
        assert err.value.instance_id is None  # being started: nothing was stored
        assert s.scalar(select(func.count()).select_from(ProcessInstance)) == 1


def test_a_timer_cycle_faster_than_the_minimum_is_refused_at_deploy(session):
    with pytest.raises(BundleInvalid) as err:
        versions.deploy(session, [DATA / "tight_cycle.bpmn"])
    [problem] = err.value.problems
    assert problem.element == "every_instant"
    assert "'R1000/PT0S' repeats every 0 s, more often than the minimum of 60 s" in problem.reason


def test_the_timer_cycle_minimum_is_a_setting():
    assert check_cycle('"R3/PT1H"') == []
    assert check_cycle('"R5/PT30S"') != []
    assert check_cycle("cycle_variable") != []  # must be a quoted constant to be checked
    previous = limits.current()
    try:
        limits.configure(timer_cycle_minimum=10)
        assert check_cycle('"R5/PT30S"') == []
    finally:
        limits.configure(timer_cycle_minimum=previous.timer_cycle_minimum)


def test_the_sweep_goes_on_after_a_runaway_instance(Session, actors):
    deploy(Session, "timer_runaway.bpmn", "timer_only.bpmn")
    runaway = start(Session, "timer_runaway", {}, at=T0)  # due first: an hour after T0
    other = start(Session, "timer_only", {}, at=T0 + timedelta(minutes=1))
    with time_machine.travel(T0 + timedelta(days=8), tick=False):
        began = time.monotonic()
        result = timers.sweep(Session)
        took = time.monotonic() - began
    assert took < NO_HANG
    assert (result.failed, result.incidents, result.fired) == (1, 1, 1)
    row = instance(Session, runaway)
    assert row.status == "incident"  # at once, no retries: over its work or time budget
    assert "steps of work" in row.error or "time limit" in row.error
    assert instance(Session, other).status == "completed"
