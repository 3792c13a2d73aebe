"""Warn, disqualify and reinstate through processes/supervision.bpmn, with reassignment."""
import pytest
from sqlalchemy import func, select

from engine.consultation import reassign
from engine.errors import InstanceFailed, InvalidInput, NotAllowed, NotFound
from engine.models import (
    AuditEvent,
    Consultation,
    HumanTask,
    LawyerWarning,
    Notification,
    ProcessInstance,
    User,
)
from engine.oversight import supervision
from engine.workflow import live, tasks

REASON = "在解答中留下个人微信，招揽线下业务"


def inbox(session, actor):
    return [(t.key, t.assignee_id, t.reassign_from) for t in tasks.tasks_for_user(session, actor)]


def notices(session, user_id):
    return list(session.scalars(select(Notification.kind).where(Notification.user_id == user_id)
                                .order_by(Notification.id)))


def status(session, user_id):
    session.expire_all()
    return session.get(User, user_id).status


def test_deploys_with_validation(session, supervision_diagrams):
    from engine.workflow import versions
    [info] = [v for v in versions.list_versions(session) if v.key == "supervision"]
    assert (info.number, info.name) == (1, "监督处理")


def test_warn_is_recorded_notified_and_visible_to_the_lawyer(session, people, supervisor,
                                                             supervision_diagrams):
    lawyer = people["lawyer"]
    info = supervision.warn(session, supervisor, lawyer.id, REASON, consultation_id=None)
    assert (info.kind, info.lawyer_id, info.reason, info.by) == ("warn", lawyer.id, REASON,
                                                                 supervisor.id)
    assert session.get(ProcessInstance, info.instance_id).status == "completed"
    assert status(session, lawyer.id) == "active"
    assert notices(session, lawyer.id) == ["warn"]
    assert [w.id for w in supervision.warnings_for(session, lawyer.id, lawyer)] == [info.id]
    with pytest.raises(NotAllowed):
        supervision.warnings_for(session, lawyer.id, people["lawyer2"])
    actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions[-2:] == ["lawyer_warned", "start"]


@pytest.mark.parametrize("role", ["duty_officer", "admin", "lawyer"])
def test_only_supervisors_may_sanction(session, people, supervision_diagrams, role):
    for use_case in (supervision.warn, supervision.disqualify, supervision.reinstate):
        with pytest.raises(NotAllowed):
            use_case(session, people[role], people["lawyer2"].id, REASON)
    assert session.scalar(select(func.count()).select_from(LawyerWarning)) == 0


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reason_is_required(session, people, supervisor, supervision_diagrams, reason):
    with pytest.raises(InvalidInput) as err:
        supervision.disqualify(session, supervisor, people["lawyer"].id, reason)
    assert list(err.value.fields) == ["reason"]
    assert status(session, people["lawyer"].id) == "active"
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0


def test_only_a_lawyer_can_be_sanctioned(session, people, supervisor, supervision_diagrams):
    with pytest.raises(Exception, match="驻场律师不存在"):
        supervision.warn(session, supervisor, people["duty_officer"].id, REASON)


def test_disqualify_moves_open_work_to_duty_officers(session, people, supervisor, answering):
    lawyer, lawyer2, duty = people["lawyer"], people["lawyer2"], people["duty_officer"]
    assert inbox(session, lawyer) == [("answer_consultation", lawyer.id, None)]

    info = supervision.disqualify(session, supervisor, lawyer.id, REASON)

    assert status(session, lawyer.id) == "disqualified"
    assert inbox(session, lawyer) == []
    # The duty officers' inbox offers only what they may do: the queued task waits in the
    # reassignment queue, and claiming it is refused.
    assert tasks.tasks_for_user(session, duty) == []
    [queued] = reassign.queued(session, duty)
    assert (queued.key, queued.assignee_id, queued.reassign_from) == (
        "answer_consultation", None, lawyer.id)
    with pytest.raises(NotAllowed):
        tasks.claim(session, queued.id, duty)
    assert notices(session, lawyer.id) == ["task_assigned", "disqualify"]
    assert notices(session, duty.id) == ["reassignment_needed"]
    assert supervision.warnings_for(session, lawyer.id)[0].id == info.id
    # Queued work can only be reassigned, not done by the duty officer or the old lawyer.
    with pytest.raises(NotAllowed):
        tasks.complete(session, queued.id, duty, {"answer_text": "代答"})
    with pytest.raises(NotFound):
        tasks.complete(session, queued.id, lawyer, {"answer_text": "我来答"})
    with pytest.raises(NotAllowed):
        tasks.claim(session, queued.id, duty)
    assert tasks.get_task(session, queued.id, duty).task.reassign_from == lawyer.id

    with pytest.raises(InvalidInput):  # never back to a disqualified lawyer
        reassign.reassign_task(session, queued.id, lawyer.id, duty)
    with pytest.raises(NotAllowed):
        reassign.reassign_task(session, queued.id, lawyer2.id, lawyer2)
    reassign.reassign_task(session, queued.id, lawyer2.id, duty)
    live.clear()  # what follows reads the stored workflow, not the cached one

    assert tasks.tasks_for_user(session, duty) == []
    [task] = tasks.tasks_for_user(session, lawyer2)
    assert (task.key, task.assignee_id, task.reassign_from) == (
        "answer_consultation", lawyer2.id, None)
    assert notices(session, lawyer2.id) == ["task_reassigned"]
    session.expire_all()
    assert session.get(Consultation, answering.id).lawyer_id == lawyer2.id
    tasks.complete(session, task.id, lawyer2, {"answer_text": "可以向劳动监察大队投诉"})
    # The next task reads the same assignee variable, so it follows the new lawyer.
    assert inbox(session, lawyer2) == [("confirm_answer", lawyer2.id, None)]
    assert inbox(session, lawyer) == []


def test_disqualification_is_one_transaction(session, people, supervisor, answering,
                                            monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(reassign, "notify", fail)
    with pytest.raises(InstanceFailed) as err:
        supervision.disqualify(session, supervisor, people["lawyer"].id, REASON)
    assert "outbox down" in err.value.detail  # for administrators; the user gets a plain text
    assert status(session, people["lawyer"].id) == "active"
    assert inbox(session, people["lawyer"]) == [("answer_consultation", people["lawyer"].id,
                                                 None)]
    assert session.scalar(select(func.count()).select_from(LawyerWarning)) == 0


def test_a_claimed_role_task_is_released(session, people, supervisor, answering):
    lawyer = people["lawyer"]
    h = session.scalar(select(HumanTask))
    h.assignee_id, h.claimed_by = None, lawyer.id  # a lawyer-lane task open to the role
    session.commit()
    supervision.disqualify(session, supervisor, lawyer.id, REASON)
    session.expire_all()
    h = session.get(HumanTask, h.id)
    assert (h.claimed_by, h.reassign_from, h.role) == (None, None, "lawyer")


def test_reinstate(session, people, supervisor, supervision_diagrams):
    lawyer = people["lawyer"]
    with pytest.raises(InvalidInput) as err:
        supervision.reinstate(session, supervisor, lawyer.id, "恢复")
    assert list(err.value.fields) == ["lawyer_id"]
    supervision.disqualify(session, supervisor, lawyer.id, REASON)
    with pytest.raises(InvalidInput):  # already disqualified
        supervision.disqualify(session, supervisor, lawyer.id, REASON)
    info = supervision.reinstate(session, supervisor, lawyer.id, "已整改，经研究恢复资格")
    assert status(session, lawyer.id) == "active"
    assert [w.kind for w in supervision.warnings_for(session, lawyer.id)] == [
        "reinstate", "disqualify"]
    assert info.kind == "reinstate"
    assert notices(session, lawyer.id) == ["disqualify", "reinstate"]


def test_disqualified_lawyer_is_never_picked(session, people, supervisor, supervision_diagrams):
    assignment = pytest.importorskip("engine.consultation.helpers.assignment")
    from engine.workflow.script_helpers import ScriptContext

    lawyer, lawyer2 = people["lawyer"], people["lawyer2"]
    row = Consultation(title="离婚", question="财产如何分割", category="family")
    session.add(row)
    session.commit()
    supervision.disqualify(session, supervisor, lawyer.id, REASON)
    ctx = ScriptContext(session, None, supervisor)
    picks = {assignment.find_lawyer(ctx, row.id) for _ in range(3)}
    assert picks == {lawyer2.id}
