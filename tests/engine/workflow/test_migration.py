"""Moving running instances from v1 to v2 of a diagram, and back.

v2 (tests/data/migration_v2.bpmn) renames the draft step, renames a form field of the review
step (due_on -> reply_by) and adds a duty officer's `recheck` step after publishing.
"""
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from engine.actor import Actor
from engine.errors import InvalidInput, NotFound, TaskConflict
from engine.models import AuditEvent, HumanTask, InstanceSnapshot, ProcessInstance
from engine.uow import transaction
from engine.workflow import instances, migration, runtime, tasks, versions
from tests.factories import DATA

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
V1 = (DATA / "migration_v1.bpmn").read_text(encoding="utf-8")
V2 = (DATA / "migration_v2.bpmn").read_text(encoding="utf-8")


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def ready(session, instance_id: int) -> dict:
    """{bpmn_id: row} of the instance's ready human tasks, read fresh from the index."""
    rows = session.execute(select(HumanTask.id, HumanTask.bpmn_id, HumanTask.name,
                                  HumanTask.assignee_id, HumanTask.claimed_by, HumanTask.due_at)
                           .where(HumanTask.instance_id == instance_id,
                                  HumanTask.state == "ready")).all()
    session.rollback()
    return {r.bpmn_id: r for r in rows}


def finish(session, people, instance_id: int, key: str, data: dict | None = None) -> None:
    actor = {"draft": "staff", "recheck": "duty_officer", "confirm": "citizen",
             "escalate": "duty_officer"}.get(key, "lawyer")
    tasks.complete(session, ready(session, instance_id)[key].id, people[actor], data or {})


def fire_timers(session, instance_id: int) -> None:
    """What the timer worker does for one due instance."""
    with transaction(session):
        loaded = runtime.load(session, instance_id, Actor.system())
        runtime.advance(loaded)
        runtime.save(loaded)


def instance_row(session, instance_id: int):
    row = session.execute(select(ProcessInstance.version_id, ProcessInstance.state,
                                 ProcessInstance.revision, ProcessInstance.status,
                                 ProcessInstance.next_timer_at)
                          .where(ProcessInstance.id == instance_id)).one()
    session.rollback()
    return row


@pytest.fixture
def waiting(session, people, clock):
    """v1 instances waiting at every user task and at the timer, then v2 deployed."""
    [v1] = versions.deploy(session, {"review.bpmn": V1})
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}

    def start(*steps):
        info = instances.start(session, "review_loop", data, people["citizen"], f"C-{len(ids)}")
        for key, values in steps:
            finish(session, people, info.id, key, values)
        return info.id

    ids: dict[str, int] = {}
    ids["draft"] = start()
    tasks.claim(session, ready(session, ids["draft"])["draft"].id, people["staff"])
    ids["review"] = start(("draft", {"text": "稿"}))
    ids["publish"] = start(("draft", {"text": "稿"}), ("review", {"decision": "approve"}))
    ids["confirm"] = start(("draft", {"text": "稿"}), ("review", {"decision": "approve"}),
                           ("publish", {}))
    ids["redraft"] = start(("draft", {"text": "稿"}), ("review", {"decision": "revise"}))
    clock.move_to(T0 - timedelta(hours=2))
    ids["escalate"] = start(("draft", {"text": "稿"}))
    clock.move_to(T0)
    fire_timers(session, ids["escalate"])
    [v2] = versions.deploy(session, {"review.bpmn": V2})
    return v1, v2, ids


def test_version_diff_lists_added_and_changed_elements(session, waiting):
    v1, v2, _ = waiting
    diff = migration.version_diff(session, v1.id, v2.id)
    assert (diff.old.number, diff.new.number) == (1, 2)
    [process] = diff.processes
    assert [(e.id, e.name) for e in process.added] == [("recheck", "发布后复核")]
    assert process.removed == []
    assert {e.id: e.changes for e in process.changed} == {
        "draft": ("bpmn_name",), "review": ("form",), "publish": ("outputs",),
        "confirm": ("inputs",)}
    assert {e.id: e.name for e in process.changed}["draft"] == "起草答复"


def test_instances_grouped_by_where_they_wait(session, waiting):
    v1, _, ids = waiting
    groups = {g.key: g.instance_ids for g in migration.instances_by_wait_state(session, v1.id)}
    assert groups == {"draft": [ids["draft"], ids["redraft"]], "review": [ids["review"]],
                      "publish": [ids["publish"]], "confirm": [ids["confirm"]],
                      "escalate": [ids["escalate"]]}


def test_dry_run_reports_each_instance_and_writes_nothing(session, waiting):
    v1, v2, ids = waiting
    before = {k: instance_row(session, i) for k, i in ids.items()}
    reports = {r.instance_id: r for r in migration.dry_run(session, v1.id, v2.id)}
    assert set(reports) == set(ids.values())
    by_key = {k: reports[i] for k, i in ids.items()}
    assert {k for k, r in by_key.items() if not r.can_migrate} == {"confirm"}
    refused = by_key["confirm"]
    assert "publish（发布）已完成" in refused.reason and "outputs" in refused.reason
    assert refused.business_key == "C-3"
    resets = {k: [(n.bpmn_id, n.state, n.changes) for n in r.reset_tasks]
              for k, r in by_key.items()}
    assert resets["draft"] == [("draft", "READY", ("bpmn_name",))]
    assert resets["review"] == [("review", "READY", ("form",)),
                                ("review_deadline", "WAITING", ())]
    assert resets["publish"] == [("publish", "READY", ("outputs",))]
    assert resets["escalate"] == [("escalate", "READY", ())]
    # The strict rule would refuse these: a completed task changed, but only its name or form.
    assert by_key["redraft"].can_migrate and by_key["publish"].can_migrate
    assert {k: instance_row(session, i) for k, i in ids.items()} == before


def test_dry_run_of_a_selection_and_of_an_instance_on_another_version(session, people, waiting):
    v1, v2, ids = waiting
    reports = migration.dry_run(session, v1.id, v2.id, [ids["review"], 9999])
    assert [(r.instance_id, r.can_migrate) for r in reports] == [(ids["review"], True),
                                                                  (9999, False)]
    migration.migrate(session, v1.id, v2.id, [ids["review"]], people["admin"], "试运行")
    [again] = migration.dry_run(session, v1.id, v2.id, [ids["review"]])
    assert not again.can_migrate and "不在版本 review_loop v1 上" in again.reason


def test_migrate_moves_the_movable_and_leaves_the_refused_untouched(session, people, waiting,
                                                                    clock):
    v1, v2, ids = waiting
    confirm_before = instance_row(session, ids["confirm"])
    clock.move_to(T0 + timedelta(minutes=30))
    seen = []
    report = migration.migrate(session, v1.id, v2.id, None, people["admin"], "增加发布后复核",
                               progress=lambda done, total, r: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]
    assert {r.instance_id for r in report.migrated} == set(ids.values()) - {ids["confirm"]}
    [refused] = report.refused
    assert refused.instance_id == ids["confirm"] and "outputs" in refused.reason
    assert instance_row(session, ids["confirm"]) == confirm_before  # same bytes and revision
    assert session.scalar(select(func.count()).select_from(InstanceSnapshot)
                          .where(InstanceSnapshot.instance_id == ids["confirm"])) == 0
    for key in ("draft", "review", "publish", "redraft", "escalate"):
        assert instance_row(session, ids[key]).version_id == v2.id
    audits = session.scalars(select(AuditEvent).where(AuditEvent.action == "migrate")).all()
    assert len(audits) == 5
    assert all(a.actor_id == people["admin"].id and a.data["reason"] == "增加发布后复核"
               and a.data["from"] == {"key": "review_loop", "version": 1}
               and a.data["to"] == {"key": "review_loop", "version": 2} for a in audits)


def test_migrated_instances_complete_on_the_v2_paths(session, people, waiting):
    v1, v2, ids = waiting
    migration.migrate(session, v1.id, v2.id, None, people["admin"], "增加发布后复核")
    assert ready(session, ids["draft"])["draft"].name == "起草答复"
    finish(session, people, ids["draft"], "draft", {"text": "新稿"})
    review = ready(session, ids["draft"])["review"]
    form = tasks.get_task(session, review.id, people["lawyer"]).form
    assert [f.id for f in form] == ["decision", "urgent", "reply_by"]
    for key, values in [("review", {"decision": "approve", "reply_by": "2026-03-05"}),
                        ("publish", {})]:
        finish(session, people, ids["draft"], key, values)
    assert set(ready(session, ids["draft"])) == {"recheck"}  # the new step
    for key in ("recheck", "confirm"):
        finish(session, people, ids["draft"], key, {})
    finish(session, people, ids["publish"], "publish")
    assert set(ready(session, ids["publish"])) == {"recheck"}
    finish(session, people, ids["escalate"], "escalate", {"notes": "已处理"})
    finish(session, people, ids["redraft"], "draft", {"text": "二稿"})
    assert set(ready(session, ids["redraft"])) == {"review"}
    assert [instance_row(session, ids[k]).status for k in ("draft", "escalate", "publish")] == [
        "completed", "completed", "running"]


def test_waiting_timer_keeps_its_original_due_time(session, people, waiting, clock):
    v1, v2, ids = waiting
    due = T0 + timedelta(hours=1)
    clock.move_to(T0 + timedelta(minutes=30))
    migration.migrate(session, v1.id, v2.id, [ids["review"]], people["admin"], "增加复核")
    assert instance_row(session, ids["review"]).next_timer_at == due
    assert ready(session, ids["review"])["review"].due_at == due
    clock.move_to(due + timedelta(minutes=1))  # an hour after drafting, not after migrating
    fire_timers(session, ids["review"])
    assert set(ready(session, ids["review"])) == {"escalate"}


def test_waiting_tasks_keep_their_ids_assignee_and_claim(session, people, waiting):
    v1, v2, ids = waiting
    before = {k: ready(session, ids[k]) for k in ("draft", "review")}
    assert before["draft"]["draft"].claimed_by == people["staff"].id
    migration.migrate(session, v1.id, v2.id, None, people["admin"], "增加复核")
    after = {k: ready(session, ids[k]) for k in ("draft", "review")}
    for key in ("draft", "review"):
        old, new = before[key][key], after[key][key]
        assert (new.id, new.assignee_id, new.claimed_by) == (old.id, old.assignee_id,
                                                             old.claimed_by)
    assert after["review"]["review"].assignee_id == people["lawyer"].id
    claimed = before["draft"]["draft"].id
    colleague = Actor(id=-1, role="staff", institution_id=people["staff"].institution_id)
    assert claimed in [t.id for t in tasks.tasks_for_user(session, people["staff"])]
    assert claimed not in [t.id for t in tasks.tasks_for_user(session, colleague)]


def test_rollback_restores_v1_and_the_instance_completes_on_v1(session, people, waiting):
    v1, v2, ids = waiting
    before = instance_row(session, ids["publish"])
    migration.migrate(session, v1.id, v2.id, [ids["publish"]], people["admin"], "增加复核")
    migration.rollback(session, ids["publish"], people["admin"], "复核步骤暂缓")
    after = instance_row(session, ids["publish"])
    assert (after.version_id, after.state) == (v1.id, before.state)
    assert after.revision == before.revision + 2
    finish(session, people, ids["publish"], "publish")
    assert set(ready(session, ids["publish"])) == {"confirm"}  # no recheck on v1
    finish(session, people, ids["publish"], "confirm", {"satisfied": True})
    assert instance_row(session, ids["publish"]).status == "completed"
    [audit] = session.scalars(select(AuditEvent).where(AuditEvent.action == "rollback")).all()
    assert audit.data["reason"] == "复核步骤暂缓" and audit.data["to"]["version"] == 1
    with pytest.raises(NotFound):  # the snapshot was used
        migration.rollback(session, ids["publish"], people["admin"], "再来一次")


def test_rollback_keeps_the_timer_and_refuses_to_discard_later_work(session, people, waiting):
    v1, v2, ids = waiting
    migration.migrate(session, v1.id, v2.id, [ids["review"]], people["admin"], "增加复核")
    migration.rollback(session, ids["review"], people["admin"], "撤回")
    assert instance_row(session, ids["review"]).next_timer_at == T0 + timedelta(hours=1)
    migration.migrate(session, v1.id, v2.id, [ids["draft"]], people["admin"], "增加复核")
    draft = ready(session, ids["draft"])["draft"]
    finish(session, people, ids["draft"], "draft", {"text": "在新版本上完成"})
    with pytest.raises(TaskConflict):
        migration.rollback(session, ids["draft"], people["admin"], "撤回")
    migration.rollback(session, ids["draft"], people["admin"], "撤回", force=True)
    assert ready(session, ids["draft"])["draft"].id == draft.id  # the task is open again
    finish(session, people, ids["draft"], "draft", {"text": "在旧版本上完成"})
    assert set(ready(session, ids["draft"])) == {"review"}


def test_reason_is_required(session, people, waiting):
    v1, v2, ids = waiting
    with pytest.raises(InvalidInput) as err:
        migration.migrate(session, v1.id, v2.id, None, people["admin"], "  ")
    assert err.value.fields == {"reason": ["必须填写此项"]}
    with pytest.raises(InvalidInput):
        migration.rollback(session, ids["draft"], people["admin"], "")
    assert instance_row(session, ids["draft"]).version_id == v1.id


def test_a_removed_task_refuses_instances_that_reached_it(session, people, waiting):
    v1, _, ids = waiting
    without_escalation = (
        V1.replace("<bpmn:flowNodeRef>escalate</bpmn:flowNodeRef>", "")
        .replace('targetRef="escalate"', 'targetRef="escalated_end"')
        .replace('<bpmn:sequenceFlow id="f11" sourceRef="escalate" targetRef="escalated_end" />',
                 "")
        .replace("<bpmn:incoming>f11</bpmn:incoming>", "<bpmn:incoming>f10</bpmn:incoming>"))
    start = without_escalation.index('<bpmn:userTask id="escalate"')
    end = without_escalation.index("</bpmn:userTask>", start) + len("</bpmn:userTask>")
    without_escalation = without_escalation[:start] + without_escalation[end:]
    [v3] = versions.deploy(session, {"review.bpmn": without_escalation})
    diff = migration.version_diff(session, v1.id, v3.id)
    assert [e.id for e in diff.processes[0].removed] == ["escalate"]
    reports = {r.instance_id: r for r in migration.dry_run(session, v1.id, v3.id)}
    refused = reports[ids["escalate"]]
    assert not refused.can_migrate and "escalate" in refused.reason and "删除" in refused.reason
    assert [n.bpmn_id for n in refused.removed_tasks] == ["escalate"]
    assert reports[ids["review"]].can_migrate  # escalate was only predicted there
