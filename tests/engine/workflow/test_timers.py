"""Timer sweeps with time travel: deadlines fire once, reminders don't interrupt, failures
back off into incidents that an administrator can retry."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select, text

from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import ACTIVE, DISABLED, AuditEvent, ProcessInstance
from engine.notifications import outbox
from engine.workflow import tasks, timers
from tests.engine.worker_fixtures import (
    actors_fixture,  # noqa: F401 - the `actors` fixture
    deploy,
    set_user,
    start,
    waiting_instances,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def sweep_at(Session, when: datetime) -> timers.SweepResult:
    with time_machine.travel(when, tick=False):
        return timers.sweep(Session)


def instance(Session, instance_id: int) -> ProcessInstance:
    with Session() as s:
        return s.get(ProcessInstance, instance_id)


def inbox(Session, actor: Actor) -> list[str]:
    with Session() as s:
        return [t.key for t in tasks.tasks_for_user(s, actor)]


def fired_timers(Session, instance_id: int) -> list[str]:
    with Session() as s:
        return list(s.scalars(select(AuditEvent.task_key).where(
            AuditEvent.instance_id == instance_id, AuditEvent.action == "timer_fired")
            .order_by(AuditEvent.id)))


def test_reminder_then_escalation_each_fire_once_when_due(Session, actors):
    deploy(Session, "answer_deadline.bpmn")
    lawyer = actors["lawyer"]
    iid = start(Session, "answer_deadline", {"lawyer_id": lawyer.id}, at=T0)
    waiting = instance(Session, iid)
    assert waiting.next_timer_at == T0 + timedelta(hours=4)

    assert sweep_at(Session, T0 + timedelta(hours=3, minutes=59)).fired == 0
    assert instance(Session, iid).revision == waiting.revision  # not even touched
    assert inbox(Session, lawyer) == ["answer_consultation"]

    result = sweep_at(Session, T0 + timedelta(hours=4, minutes=1))
    assert (result.fired, result.timers) == (1, 1)
    assert inbox(Session, lawyer) == ["answer_consultation"]  # a reminder does not interrupt
    with Session() as s:
        # newest first: the reminder, after the notice of the task itself
        assert [n.subject for n in outbox.list_for_user(s, lawyer.id)] == [
            "咨询即将超时：请在1小时内答复", "新的法律咨询待解答：答复咨询"]
    assert instance(Session, iid).next_timer_at == T0 + timedelta(hours=5)
    assert sweep_at(Session, T0 + timedelta(hours=4, minutes=2)).fired == 0

    result = sweep_at(Session, T0 + timedelta(hours=5, minutes=1))
    assert result.fired == 1
    assert inbox(Session, lawyer) == []
    assert inbox(Session, actors["duty_officer"]) == ["handle_overdue"]
    assert instance(Session, iid).next_timer_at is None
    assert fired_timers(Session, iid) == ["answer_reminder", "answer_overdue"]
    assert sweep_at(Session, T0 + timedelta(hours=9)).fired == 0


def test_review_deadline_escalates_to_the_duty_officer(Session, actors):
    deploy(Session, "review_loop.bpmn")
    staff = actors["staff"]
    iid = start(Session, "review_loop", {"reviewer_id": actors["lawyer"].id,
                                          "citizen_id": actors["citizen"].id}, at=T0)
    with time_machine.travel(T0, tick=False), Session() as s:
        draft = tasks.tasks_for_user(s, staff)[0]
        tasks.complete(s, draft.id, staff, {"text": "草稿"})
    assert inbox(Session, actors["lawyer"]) == ["review"]

    assert sweep_at(Session, T0 + timedelta(minutes=59)).fired == 0
    assert sweep_at(Session, T0 + timedelta(minutes=61)).fired == 1
    assert inbox(Session, actors["lawyer"]) == []
    assert inbox(Session, actors["duty_officer"]) == ["escalate"]
    assert fired_timers(Session, iid) == ["review_deadline"]


def test_failing_instance_backs_off_becomes_incident_and_can_be_retried(Session, actors):
    deploy(Session, "failing_timer.bpmn", "answer_deadline.bpmn")
    lawyer, admin, duty = actors["lawyer"], actors["admin"], actors["duty_officer"]
    set_user(Session, duty.id, status=DISABLED)  # nobody on duty: the timer path fails
    broken = start(Session, "failing_timer", {"lawyer_id": lawyer.id}, at=T0)
    healthy = start(Session, "answer_deadline", {"lawyer_id": lawyer.id}, at=T0)

    now = T0 + timedelta(hours=4, minutes=1)
    result = sweep_at(Session, now)
    assert (result.failed, result.fired) == (1, 1)  # the sweep went on after the failure
    assert fired_timers(Session, healthy) == ["answer_reminder"]
    row = instance(Session, broken)
    assert (row.status, row.failures) == ("running", 1)
    assert "没有在岗的值班人员" in row.error
    assert row.next_timer_at == now + timedelta(minutes=1)
    assert sweep_at(Session, now + timedelta(seconds=30)).failed == 0  # backing off

    for _ in range(timers.MAX_FAILURES - 1):
        now = instance(Session, broken).next_timer_at + timedelta(seconds=1)
        assert sweep_at(Session, now).failed == 1
    row = instance(Session, broken)
    assert (row.status, row.failures) == ("incident", timers.MAX_FAILURES)
    with Session() as s:
        incidents = timers.list_incidents(s)
    assert [(i.id, "没有在岗的值班人员" in i.error) for i in incidents] == [(broken, True)]
    assert sweep_at(Session, now + timedelta(days=1)).failed == 0  # parked, not retried
    assert inbox(Session, lawyer) == ["wait_for_answer"]  # nothing half-done

    with Session() as s, time_machine.travel(now + timedelta(days=1), tick=False):
        with pytest.raises(NotAllowed):
            timers.retry_incident(s, broken, lawyer)
        set_user(Session, duty.id, status=ACTIVE)
        assert timers.retry_incident(s, broken, admin).status == "running"
    result = sweep_at(Session, now + timedelta(days=1, minutes=1))
    assert (result.fired, result.failed) == (1, 0)
    with Session() as s:
        mine = [(t.instance_id, t.key) for t in tasks.tasks_for_user(s, duty)
                if t.assignee_id == duty.id]
    assert mine == [(broken, "handle_overdue")]
    row = instance(Session, broken)
    assert (row.status, row.failures, row.error) == ("running", 0, None)
    with Session() as s:
        actions = list(s.scalars(select(AuditEvent.action).where(
            AuditEvent.instance_id == broken).order_by(AuditEvent.id)))
        assert actions == ["start"] + ["timer_failed"] * (timers.MAX_FAILURES - 1) + [
            "incident", "incident_retry", "timer_fired"]


def test_a_sweep_reads_only_due_rows_through_the_index(Session):
    """The due query is an index range scan, so waiting instances cost nothing."""
    now = datetime.now(UTC)
    query = timers.due_query(now, 50)
    with Session() as s:
        dialect = s.get_bind().dialect
        sql = str(query.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if dialect.name == "postgresql":
            s.execute(text("SET LOCAL enable_seqscan = off"))  # tiny table: force the choice
        explain = "EXPLAIN" if dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        plan = " ".join(str(r) for r in s.execute(text(f"{explain} {sql}")).all())
        s.rollback()
    assert "ix_process_instance_timer_due" in plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan  # already in due order


def test_sweep_limit_and_stop_leave_the_rest_due(Session):
    waiting_instances(Session, 12, datetime.now(UTC) - timedelta(days=8))
    assert timers.sweep(Session, batch=5, limit=7).fired == 7
    assert timers.sweep(Session, stop=lambda: True).fired == 0
    assert timers.sweep(Session, batch=5).fired == 5
    with Session() as s:
        done = s.scalar(select(func.count()).where(ProcessInstance.status == "completed"))
    assert done == 12
