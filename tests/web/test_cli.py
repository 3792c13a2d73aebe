"""The `flask --app web` commands an operator types."""
from engine.models import ProcessVersion, User
from engine.people.passwords import verify_password
from tests.web.flow import PROCESSES
from web.extensions import db


def test_users_create_with_institution_and_categories(app, runner):
    result = runner.invoke(args=["users", "create", "lawyer_x", "--role", "lawyer",
                                 "--institution", "北京某所", "--password", "a-good-password",
                                 "--category", "labor", "--category", "family"])
    assert result.exit_code == 0, result.output
    assert "created lawyer_x (lawyer)" in result.output
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "lawyer_x"))
        assert user.institution.name == "北京某所" and user.categories == ["labor", "family"]
        assert verify_password(user.password_hash, "a-good-password")


def test_users_create_duplicate_fails_with_message(runner):
    args = ["users", "create", "dup", "--role", "citizen", "--password", "a-good-password"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "用户名已被使用" in result.output


def test_users_create_unknown_role_fails(runner):
    result = runner.invoke(args=["users", "create", "someone", "--role", "wizard",
                                 "--password", "a-good-password"])
    assert result.exit_code == 1
    assert "unknown role 'wizard'" in result.output and "duty_officer" in result.output


def test_users_create_short_password_fails(runner):
    result = runner.invoke(args=["users", "create", "someone", "--role", "citizen",
                                 "--password", "short"])
    assert result.exit_code == 1 and "密码至少 8 个字符" in result.output


def test_users_create_without_password_warns_it_cannot_log_in(runner, auth):
    result = runner.invoke(args=["users", "create", "nopass", "--role", "admin"])
    assert result.exit_code == 0 and "cannot log in" in result.output
    assert auth.login("nopass", "").status_code == 200  # form error: password required
    assert auth.login("nopass", "anything-at-all").status_code == 401


def test_seed_demo_is_idempotent_and_logins_work(app, runner, auth):
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and second.exit_code == 0
    assert first.output == second.output
    assert "lawyer_wang" in first.output and "demo-lawyer-pass" in first.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(User.id))) == 14
        roles = set(db.session.scalars(db.select(User.role)))
        assert roles == {"citizen", "lawyer", "staff", "duty_officer", "expert", "supervisor",
                         "designer", "admin"}
    response = auth.login("lawyer_zhao", "demo-lawyer-pass", follow_redirects=True)
    assert "赵律师" in response.text


def test_deploy_reports_problems_and_exits_1(app, runner, tmp_path):
    good = (PROCESSES / "referral.bpmn").read_text(encoding="utf-8")
    bad = tmp_path / "referral.bpmn"
    bad.write_text(good.replace('name="值班人员"', 'name="律师助理"', 1), encoding="utf-8")
    result = runner.invoke(args=["deploy", str(bad)])
    assert result.exit_code == 1
    assert "referral.bpmn" in result.output and "'律师助理' is not a known role" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ProcessVersion.id))) == 0


def test_deploy_prints_each_version(runner):
    first = runner.invoke(args=["deploy", str(PROCESSES)])
    again = runner.invoke(args=["deploy", str(PROCESSES)])
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "consultation v1 (new)" in first.output and "referral v1 (new)" in first.output
    assert "consultation v1 (unchanged)" in again.output


def test_init_db_migrates_and_makes_the_audit_log_append_only(app_config):
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from engine import audit
    from engine.uow import transaction
    from web import create_app

    fresh = create_app(app_config)  # an empty database: init-db builds it
    result = fresh.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "append-only" in result.output
    with fresh.app_context():
        with transaction(db.session):
            audit.record(db.session, "deploy", None, data={"key": "x"})
        for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
            with pytest.raises(DBAPIError, match="append-only"):
                db.session.execute(text(statement))
            db.session.rollback()
        assert db.session.execute(text("SELECT action FROM audit_event")).scalars().all() == [
            "deploy"]
        db.session.remove()
        db.engine.dispose()
