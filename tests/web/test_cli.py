"""The `flask --app web` commands as an operator types them, on `create_app()` configured by
the environment (the `front_door` fixture), against the real diagrams in `processes/`."""
import re
import shutil
from pathlib import Path

import click
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from engine.models import User
from engine.people.passwords import verify_password
from tests.factories import QUESTION
from web.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"
README = ROOT / "README.md"


def documented_commands(app) -> set[tuple[str, ...]]:
    """Every `flask --app web COMMAND [SUBCOMMAND]` the README shows, checked to exist."""
    paths = set()
    for line in re.findall(r"flask --app web ([a-z][^`\n]*)", README.read_text()):
        words = line.split()
        command = app.cli.commands.get(words[0])
        assert command is not None, f"the README documents a missing command: {line}"
        if isinstance(command, click.Group):
            assert words[1] in command.commands, f"the README documents a missing command: {line}"
            paths.add(tuple(words[:2]))
        else:
            paths.add((words[0],))
    return paths


def scalar(url: str, sql: str):
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar()
    finally:
        engine.dispose()


def ok(result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


def submit_by_api(front_door) -> int:
    """citizen_zhang asks a question through the JSON API (what the citizen's phone does)."""
    client = front_door.app().test_client()
    token = client.post("/api/v1/auth/token", json={"username": "citizen_zhang",
                                                    "password": "demo-citizen-pass"})
    assert token.status_code == 200, token.json
    created = client.post("/api/v1/consultations", json=QUESTION,
                          headers={"Authorization": f"Bearer {token.json['token']}"})
    assert created.status_code == 201, created.json
    return created.json["id"]


def test_every_documented_command_works_in_order(front_door, tmp_path, monkeypatch):
    """The README's commands, in the order an operator runs them on a new installation."""
    anchors = tmp_path / "audit-anchors.jsonl"
    monkeypatch.setenv("AUDIT_KEY", "k" * 40)
    monkeypatch.setenv("AUDIT_ANCHOR_FILE", str(anchors))
    assert "append-only" in ok(front_door.flask("init-db"))
    first = ok(front_door.flask("deploy", str(PROCESSES)))
    assert {"consultation v1 (new)", "supervision v1 (new)"} <= set(first.splitlines())
    assert "consultation v1 (unchanged)" in ok(front_door.flask("deploy", str(PROCESSES)))
    exported = ok(front_door.flask("export", "consultation", str(tmp_path / "exported")))
    assert "consultation v1 exported" in exported
    assert (tmp_path / "exported" / "consultation.bpmn").read_bytes() == (
        PROCESSES / "consultation.bpmn").read_bytes()
    created = ok(front_door.flask("users", "create", "lawyer_x", "--role", "lawyer",
                                  "--institution", "某律师事务所", "--category", "labor",
                                  "--password", "a-good-password"))
    assert "created lawyer_x (lawyer)" in created
    assert "lawyer_wang" in ok(front_door.flask("seed-demo"))
    reset = ok(front_door.flask("users", "reset-password", "lawyer_x"))
    assert "every session and token of it is revoked" in reset and "one-time password" in reset
    assert "disabled lawyer_x" in ok(front_door.flask("users", "disable", "lawyer_x"))
    assert "enabled lawyer_x" in ok(front_door.flask("users", "enable", "lawyer_x"))

    consultation_id = submit_by_api(front_door)
    worker = front_door.flask("worker", "--once")
    assert worker.exit_code == 0 and "SMTP_HOST not set" in worker.stderr
    assert "anchored row" in ok(front_door.flask("audit", "anchor"))
    assert re.fullmatch(r"audit chain ok: \d+ rows.*\n", ok(front_door.flask(
        "audit", "verify", "--anchor", str(anchors))))
    grants = ok(front_door.flask("audit", "grants", "--role", "fawang_app"))  # printed, not run
    assert re.search(r'^GRANT SELECT, INSERT ON "\w+".audit_event TO "fawang_app";$', grants, re.M)
    reseal = front_door.flask("audit", "reseal")  # a log keyed from the start has nothing to do
    assert reseal.exit_code == 1 and "nothing to reseal" in reseal.output

    # A designer's change arrives as a new version; the running consultation moves to it.
    changed = tmp_path / "processes"
    shutil.copytree(PROCESSES, changed)
    bpmn = changed / "consultation.bpmn"
    bpmn.write_text(bpmn.read_text().replace('name="法律咨询"', 'name="法律咨询（新版）"', 1))
    assert "consultation v2 (new)" in ok(front_door.flask("deploy", str(changed)))
    dry = ok(front_door.flask("migrate", "--from", "consultation:1", "--to", "consultation:2",
                              "--dry-run"))
    assert "1 of 1 can migrate, 0 refused" in dry
    [(instance_id, business_key)] = re.findall(r"^ *(\d+)  (\S+) +can migrate", dry, re.M)
    assert business_key == str(consultation_id)
    moved = ok(front_door.flask("migrate", "--from", "consultation:1", "--to", "consultation:2",
                                "--reason", "新版流程", "--by", "admin"))
    assert "1 of 1 migrated" in moved
    assert f"instance {instance_id} rolled back" in ok(front_door.flask(
        "rollback", instance_id, "--reason", "回退检查", "--by", "admin"))
    version = scalar(front_door.database_url,
                     "SELECT v.number FROM process_instance i JOIN process_version v "
                     f"ON v.id = i.version_id WHERE i.id = {instance_id}")
    assert version == 1

    # The lawyer's institution leaves the platform: the open answer waits for reassignment.
    institution = scalar(front_door.database_url,
                         "SELECT i.name FROM consultation c JOIN user_account u ON "
                         "u.id = c.lawyer_id JOIN institution i ON i.id = u.institution_id "
                         f"WHERE c.id = {consultation_id}")
    assert "residency ended" in ok(front_door.flask("institutions", "deactivate", institution,
                                                    "--reason", "驻场期满"))
    assert scalar(front_door.database_url, "SELECT count(*) FROM human_task WHERE state = "
                  f"'ready' AND business_key = '{consultation_id}' AND reassign_from IS NOT NULL"
                  ) == 1
    assert "resident again" in ok(front_door.flask("institutions", "activate", institution))
    unknown = front_door.flask("institutions", "deactivate", "不存在的机构", "--reason", "x")
    assert unknown.exit_code == 1 and "机构不存在" in unknown.output
    unexplained = front_door.flask("institutions", "deactivate", institution, "--reason", " ")
    assert unexplained.exit_code == 2 and "请说明结束驻场的原因" in unexplained.output

    # Someone edits the audit log behind the application's back: verify names the row.
    assert ok(front_door.flask("audit", "protect", "--remove")) == "audit guard removed\n"
    row = scalar(front_door.database_url, "SELECT max(id) FROM audit_event")
    engine = create_engine(front_door.database_url)
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE audit_event SET action = 'forged' WHERE id = {row}"))
    engine.dispose()
    broken = front_door.flask("audit", "verify")
    assert broken.exit_code == 1
    assert f"audit chain broken at row {row}" in broken.stderr
    assert "installed" in ok(front_door.flask("audit", "protect"))

    ran = {args[:n] for args in front_door.commands for n in (1, 2)}
    missing = documented_commands(front_door.app()) - ran
    assert not missing, f"documented but not run here: {missing}"


def test_users_create_with_institution_and_categories(front_door):
    front_door.create_schema()
    output = ok(front_door.flask("users", "create", "lawyer_x", "--role", "lawyer",
                                 "--institution", "北京某所", "--password", "a-good-password",
                                 "--category", "labor", "--category", "family"))
    assert "created lawyer_x (lawyer)" in output
    app = front_door.app()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "lawyer_x"))
        assert user.institution.name == "北京某所" and user.categories == ["labor", "family"]
        assert verify_password(user.password_hash, "a-good-password")


def test_users_create_refuses_bad_input_with_a_message(front_door):
    front_door.create_schema()
    args = ["users", "create", "dup", "--role", "citizen", "--password", "a-good-password"]
    ok(front_door.flask(*args))
    for argv, message in [
        (args, "用户名已被使用"),
        (["users", "create", "x", "--role", "wizard", "--password", "a-good-password"],
         "unknown role 'wizard'"),
        (["users", "create", "x", "--role", "citizen", "--password", "short"],
         "密码至少 8 个字符"),
    ]:
        result = front_door.flask(*argv)
        assert result.exit_code == 1 and message in result.output, result.output
    assert scalar(front_door.database_url, "SELECT count(*) FROM user_account") == 1


def test_users_create_without_password_cannot_log_in(front_door):
    front_door.create_schema()
    output = ok(front_door.flask("users", "create", "nopass", "--role", "admin"))
    assert "cannot log in" in output
    client = front_door.app().test_client()
    form = client.get("/auth/login").text
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post("/auth/login", data={"username": "nopass", "csrf_token": csrf,
                                                "password": "anything-at-all"})
    assert response.status_code == 401


def test_seed_demo_is_idempotent_and_its_logins_work(front_door):
    front_door.create_schema()
    first, second = front_door.flask("seed-demo"), front_door.flask("seed-demo")
    assert ok(first) == ok(second) and "demo-lawyer-pass" in first.output
    assert scalar(front_door.database_url, "SELECT count(*) FROM user_account") == 14
    client = front_door.app().test_client()
    token = client.post("/api/v1/auth/token", json={"username": "lawyer_zhao",
                                                    "password": "demo-lawyer-pass"})
    assert token.status_code == 200


def test_seed_demo_refuses_production(front_door, monkeypatch):
    front_door.create_schema()
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("AUDIT_KEY", "k" * 40)
    result = front_door.flask("seed-demo")
    assert result.exit_code == 1
    assert "refusing to run with APP_ENV=production" in result.output
    assert "demo-" not in result.output
    assert scalar(front_door.database_url, "SELECT count(*) FROM user_account") == 0


def test_deploy_reports_each_problem_and_exits_1(front_door, tmp_path):
    front_door.create_schema()
    broken = tmp_path / "processes"
    shutil.copytree(PROCESSES, broken)
    bpmn = broken / "consultation.bpmn"
    bpmn.write_text(bpmn.read_text().replace('name="驻场律师"', 'name="魔法师"', 1))
    result = front_door.flask("deploy", str(broken))
    assert result.exit_code == 1
    assert ("consultation.bpmn [answer_consultation]: lane '魔法师' is not a known role"
            in result.stderr.splitlines())
    assert scalar(front_door.database_url, "SELECT count(*) FROM process_version") == 0


def test_init_db_migrates_and_makes_the_audit_log_append_only(front_door):
    assert "append-only" in ok(front_door.flask("init-db"))
    ok(front_door.flask("deploy", str(PROCESSES / "supervision.bpmn")))  # an audited change
    engine = create_engine(front_door.database_url)
    try:
        for statement in ("UPDATE audit_event SET action = 'forged'", "DELETE FROM audit_event"):
            with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
                conn.execute(text(statement))
    finally:
        engine.dispose()
    assert scalar(front_door.database_url, "SELECT action FROM audit_event") == "deploy"
