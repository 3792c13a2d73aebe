"""`flask --app web migrate` and `rollback` as an operator types them."""
import pytest
from sqlalchemy import select

from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.models import AuditEvent, HumanTask, ProcessInstance, User
from engine.workflow import instances, tasks, versions
from tests.factories import DATA


@pytest.fixture
def Session(app):
    maker = make_sessionmaker(app.config["SQLALCHEMY_DATABASE_URI"])
    yield maker
    maker.kw["bind"].dispose()


@pytest.fixture
def waiting(Session):
    """Two v1 instances, at `draft` and at `confirm` (the latter cannot move), then v2."""
    with Session() as session:
        users = {r: User(username=r, role=r, display_name=r)
                 for r in ("citizen", "lawyer", "staff", "admin")}
        session.add_all(users.values())
        session.commit()
        actors = {r: Actor.of(u) for r, u in users.items()}
        versions.deploy(session, [DATA / "migration_v1.bpmn"])
        data = {"reviewer_id": actors["lawyer"].id, "citizen_id": actors["citizen"].id}
        at_draft = instances.start(session, "review_loop", data, actors["citizen"], "C-1").id
        at_confirm = instances.start(session, "review_loop", data, actors["citizen"], "C-2").id
        for role, values in [("staff", {"text": "稿"}), ("lawyer", {"decision": "approve"}),
                             ("lawyer", {})]:
            task_id = session.scalar(select(HumanTask.id).where(
                HumanTask.instance_id == at_confirm, HumanTask.state == "ready"))
            tasks.complete(session, task_id, actors[role], values)
        versions.deploy(session, [DATA / "migration_v2.bpmn"])
    return at_draft, at_confirm


def version_number(Session, instance_id: int) -> int:
    with Session() as session:
        return session.get(ProcessInstance, instance_id).version.number


def test_dry_run_prints_a_table_and_changes_nothing(runner, Session, waiting):
    at_draft, at_confirm = waiting
    result = runner.invoke(args=["migrate", "--from", "review_loop:1", "--to", "review_loop:2",
                                 "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    [draft_line] = [line for line in lines if line.split()[:2] == [str(at_draft), "C-1"]]
    [confirm_line] = [line for line in lines if line.split()[:2] == [str(at_confirm), "C-2"]]
    assert "can migrate" in draft_line and "draft" in draft_line
    assert "refused" in confirm_line and "outputs" in confirm_line
    assert "1 of 2 can migrate, 1 refused" in result.output
    assert version_number(Session, at_draft) == 1


def test_migrate_needs_a_reason(runner, Session, waiting):
    result = runner.invoke(args=["migrate", "--from", "review_loop:1", "--to", "review_loop:2"])
    assert result.exit_code == 1
    assert "--reason is required" in result.output
    assert version_number(Session, waiting[0]) == 1


def test_migrate_then_roll_back_one_instance(runner, Session, waiting):
    at_draft, _ = waiting
    result = runner.invoke(args=["migrate", "--from", "review_loop:1", "--to", "review_loop:2",
                                 "--instance", str(at_draft), "--reason", "增加复核",
                                 "--by", "admin"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 migrated" in result.output
    assert version_number(Session, at_draft) == 2
    result = runner.invoke(args=["rollback", str(at_draft), "--reason", "撤回"])
    assert result.exit_code == 0, result.output
    assert version_number(Session, at_draft) == 1
    with Session() as session:
        rows = session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.data)
                               .where(AuditEvent.action.in_(["migrate", "rollback"]))
                               .order_by(AuditEvent.id)).all()
    assert [(a, d["reason"]) for a, _, d in rows] == [("migrate", "增加复核"),
                                                      ("rollback", "撤回")]
    assert rows[0].actor_id is not None and rows[1].data["by"].startswith("cli:")


@pytest.mark.parametrize("args, message", [
    (["migrate", "--from", "review_loop:1", "--to", "review_loop:9", "--dry-run"], "没有版本 9"),
    (["migrate", "--from", "review_loop", "--to", "review_loop:2", "--dry-run"], "KEY:VERSION"),
    (["rollback", "1"], "--reason is required"),
])
def test_bad_arguments_fail_with_a_message(runner, waiting, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output


def test_rollback_without_a_migration(runner, waiting):
    result = runner.invoke(args=["rollback", str(waiting[0]), "--reason", "试试"])
    assert result.exit_code == 1 and "没有可回滚的迁移" in result.output
