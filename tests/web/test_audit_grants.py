"""`flask --app web audit grants`: the application's PostgreSQL role may only INSERT and
SELECT audit rows: it cannot change, delete or truncate them, nor drop the guard triggers."""
import uuid

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from engine import audit
from engine.db import make_sessionmaker
from engine.models import AuditEvent
from engine.uow import transaction


@pytest.fixture
def pg_app(app):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("database roles: PostgreSQL only")
    return app


@pytest.fixture
def app_role(pg_app):
    """A fresh login role; dropped with its privileges afterwards."""
    role = f"fw_app_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg_app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE ROLE "{role}" LOGIN'))
    yield role
    with admin.connect() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def as_role(app, role: str):
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).set(username=role)
    return make_sessionmaker(url.render_as_string(hide_password=False),
                             audit_key=app.config["AUDIT_KEY"])


def test_grants_are_printed_for_review(pg_app, runner):
    result = runner.invoke(args=["audit", "grants", "--role", "fawang_app"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(line.startswith('REVOKE ALL ON "') and line.endswith(
        '.audit_event FROM "fawang_app";') for line in lines)
    assert any(line.startswith('GRANT SELECT, INSERT ON "') and line.endswith(
        '.audit_event TO "fawang_app";') for line in lines)


def test_the_app_role_may_only_insert_and_select_audit_rows(pg_app, runner, app_role):
    result = runner.invoke(args=["audit", "grants", "--apply", "--role", app_role])
    assert result.exit_code == 0, result.output
    assert f"applied: {app_role} may only INSERT and SELECT on audit_event" in result.output

    sessions = as_role(pg_app, app_role)
    try:
        with sessions() as s:
            with transaction(s):  # what the application does: append, and read
                audit.record(s, "claim", None, data={"by": app_role})
            assert s.scalar(select(func.count(AuditEvent.id))) == 1
            s.rollback()
            with transaction(s):  # the rest of the schema is the application's to change
                s.execute(text("UPDATE user_account SET locale = locale"))
            for sql, refusal in [
                ("UPDATE audit_event SET action = 'x'", "permission denied"),
                ("DELETE FROM audit_event", "permission denied"),
                ("TRUNCATE audit_event", "permission denied"),
                ("DROP TRIGGER audit_event_append_only ON audit_event", "must be owner"),
                ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner"),
                ("DROP TABLE audit_event", "must be owner"),
            ]:
                with pytest.raises(DBAPIError, match=refusal):
                    with transaction(s):
                        s.execute(text(sql))
    finally:
        sessions.kw["bind"].dispose()
    verified = runner.invoke(args=["audit", "verify"])
    assert (verified.exit_code, verified.output.strip()) == (0, "audit chain ok: 1 rows")


def test_a_role_that_could_drop_the_guard_is_refused(pg_app, runner):
    result = runner.invoke(args=["audit", "grants", "--apply", "--role", "postgres"])
    assert result.exit_code == 1
    assert "role postgres is a superuser: it could drop the guard triggers" in result.output
    missing = runner.invoke(args=["audit", "grants", "--apply", "--role", "nobody_here"])
    assert missing.exit_code == 1 and "role nobody_here does not exist" in missing.output
