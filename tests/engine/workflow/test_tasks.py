"""Start, claim, complete, form validation and permissions through the engine's use cases."""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from engine.errors import InvalidFormData, NotFound, TaskConflict, TaskGone
from engine.models import AuditEvent, HumanTask, ProcessInstance
from engine.workflow import instances, tasks, versions
from tests.factories import DATA

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def started(session, people):
    versions.deploy(session, [DATA / "review_loop.bpmn"])
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    with time_machine.travel(T0, tick=False):
        return instances.start(session, "review_loop", data, people["citizen"])


def inbox(session, actor):
    return tasks.tasks_for_user(session, actor)


def only(session, actor):
    [task] = inbox(session, actor)
    return task


def test_start_projects_first_task_to_the_lane_role(session, people, started):
    task = only(session, people["staff"])
    assert (task.key, task.name, task.role, task.assignee_id) == ("draft", "起草", "staff", None)
    assert inbox(session, people["lawyer"]) == []
    assert started.status == "running"


def test_form_description(session, people, started):
    detail = tasks.get_task(session, only(session, people["staff"]).id, people["staff"])
    text, hours = detail.form
    assert (text.id, text.label, text.type, text.required, text.maxlength, text.multiline) == (
        "text", "草稿", "string", True, 200, True)
    assert (hours.type, hours.min, hours.max, hours.required) == ("long", 0, 24, False)


def test_full_lifecycle_with_loop(session, people, started):
    staff, lawyer, citizen = people["staff"], people["lawyer"], people["citizen"]
    tasks.complete(session, only(session, staff).id, staff, {"text": "初稿"})
    review = only(session, lawyer)
    assert (review.key, review.assignee_id) == ("review", lawyer.id)
    tasks.complete(session, review.id, lawyer, {"decision": "revise"})
    tasks.complete(session, only(session, staff).id, staff, {"text": "二稿", "hours": "2"})
    tasks.complete(session, only(session, lawyer).id, lawyer, {"decision": "approve"})
    tasks.complete(session, only(session, lawyer).id, lawyer, {})
    tasks.complete(session, only(session, citizen).id, citizen, {"satisfied": True})
    row = session.get(ProcessInstance, started.id)
    assert row.status == "completed" and row.next_timer_at is None
    keys = session.scalars(select(HumanTask.bpmn_id).where(HumanTask.state == "completed")
                           .order_by(HumanTask.completed_at)).all()
    assert keys == ["draft", "review", "draft", "review", "publish", "confirm"]
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["deploy", "start"] + ["complete"] * 6


def test_invalid_form_data_lists_each_field(session, people, started):
    staff = people["staff"]
    task = only(session, staff)
    with pytest.raises(InvalidFormData) as err:
        tasks.complete(session, task.id, staff, {"text": "x" * 201, "hours": "25", "color": "red"})
    assert set(err.value.fields) == {"text", "hours", "color"}
    assert err.value.fields["text"] == ["最多 200 个字符"]
    with pytest.raises(InvalidFormData) as err:
        tasks.complete(session, task.id, staff, {"text": "   ", "hours": "abc"})
    assert set(err.value.fields) == {"text", "hours"}
    with pytest.raises(InvalidFormData) as err:
        tasks.complete(session, task.id, staff, {})
    assert err.value.fields == {"text": ["必须填写此项"]}
    assert only(session, staff).id == task.id  # nothing moved


def test_enum_and_date_validation(session, people, started):
    staff, lawyer = people["staff"], people["lawyer"]
    tasks.complete(session, only(session, staff).id, staff, {"text": "稿"})
    review = only(session, lawyer)
    with pytest.raises(InvalidFormData) as err:
        tasks.complete(session, review.id, lawyer, {"decision": "maybe", "due_on": "32/13"})
    assert set(err.value.fields) == {"decision", "due_on"}


def test_permissions(session, people, started):
    staff, lawyer, lawyer2 = people["staff"], people["lawyer"], people["lawyer2"]
    draft = only(session, staff)
    with pytest.raises(NotFound):  # not their role: they may not even see it
        tasks.complete(session, draft.id, lawyer, {"text": "x"})
    with pytest.raises(NotFound):
        tasks.get_task(session, draft.id, people["citizen"])
    tasks.complete(session, draft.id, staff, {"text": "x"})
    review = only(session, lawyer)
    with pytest.raises(NotFound):  # assigned to another lawyer
        tasks.complete(session, review.id, lawyer2, {"decision": "approve"})
    with pytest.raises(NotFound):
        tasks.get_task(session, "no-such-task", lawyer)


def test_claim_and_release(session, people, started):
    staff = people["staff"]
    other = _second_staff(session, people)
    draft = only(session, staff)
    assert tasks.claim(session, draft.id, staff).claimed_by == staff.id
    assert inbox(session, other) == []  # claimed tasks leave colleagues' inboxes
    for attempt in (lambda: tasks.complete(session, draft.id, other, {"text": "x"}),
                    lambda: tasks.release(session, draft.id, other),
                    lambda: tasks.get_task(session, draft.id, other)):
        with pytest.raises(TaskGone) as gone:  # a conflict that says who was faster
            attempt()
        assert (gone.value.state, gone.value.by) == ("claimed", "staff")
    tasks.release(session, draft.id, staff)
    assert only(session, other).id == draft.id
    tasks.claim(session, draft.id, other)
    with pytest.raises(TaskGone) as gone:
        tasks.claim(session, draft.id, staff)
    assert (gone.value.state, gone.value.by) == ("claimed", "staff2")


def _second_staff(session, people):
    from engine.actor import Actor
    from engine.models import User
    user = User(username="staff2", role="staff", institution_id=people["staff"].institution_id)
    session.add(user)
    session.commit()
    return Actor.of(user)


def test_completing_twice_is_a_conflict(session, people, started):
    staff = people["staff"]
    draft = only(session, staff)
    tasks.complete(session, draft.id, staff, {"text": "x"})
    with pytest.raises(TaskConflict):
        tasks.complete(session, draft.id, staff, {"text": "y"})


def test_stale_revision_is_a_conflict(session, people, started):
    staff = people["staff"]
    draft = only(session, staff)
    revision = tasks.get_task(session, draft.id, staff).revision
    with pytest.raises(TaskConflict):
        tasks.complete(session, draft.id, staff, {"text": "x"}, revision=revision - 1)
    tasks.complete(session, draft.id, staff, {"text": "x"}, revision=revision)


def test_timer_due_time_is_indexed(session, people, started):
    staff, lawyer = people["staff"], people["lawyer"]
    row = session.get(ProcessInstance, started.id)
    assert row.next_timer_at is None
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        tasks.complete(session, only(session, staff).id, staff, {"text": "x"})
    session.expire_all()
    row = session.get(ProcessInstance, started.id)
    assert row.next_timer_at == T0 + timedelta(minutes=70)
    assert only(session, lawyer).due_at == T0 + timedelta(minutes=70)


def test_deadline_passed_first_wins(session, people, started):
    staff, lawyer, duty = people["staff"], people["lawyer"], people["duty_officer"]
    with time_machine.travel(T0, tick=False):
        tasks.complete(session, only(session, staff).id, staff, {"text": "x"})
    review = only(session, lawyer)
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        with pytest.raises(TaskConflict):
            tasks.complete(session, review.id, lawyer, {"decision": "approve"})
    # the refused completion rolled back; the timer is still due and fires on the next step
    assert only(session, lawyer).id == review.id
    assert inbox(session, duty) == []
