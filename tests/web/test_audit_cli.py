"""`flask --app web audit verify|protect` on the real app: an intact chain, the first altered
row named, the guard installed and removed."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from engine import audit
from engine.db import make_sessionmaker
from engine.uow import transaction


@pytest.fixture
def sessions(front_door, monkeypatch):
    """Three audited events in the front door's database, chained under its AUDIT_KEY."""
    monkeypatch.setenv("AUDIT_KEY", "k" * 40)
    front_door.create_schema()
    maker = make_sessionmaker(front_door.database_url, audit_key="k" * 40)
    with maker() as session, transaction(session):
        for n in range(3):
            audit.record(session, "complete", None, data={"n": n})
    yield maker
    maker.kw["bind"].dispose()


def test_verify_ok(front_door, sessions):
    result = front_door.flask("audit", "verify")
    assert (result.exit_code, result.output) == (0, "audit chain ok: 3 rows\n")


def test_verify_names_the_altered_row(front_door, sessions):
    with sessions() as session, transaction(session):
        second = session.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars().all()[1]
        session.execute(text(f"UPDATE audit_event SET data = '{{\"n\": 9}}' WHERE id = {second}"))
    result = front_door.flask("audit", "verify")
    assert result.exit_code == 1
    assert (f"audit chain broken at row {second}: content does not match its hash"
            in result.stderr)


def test_protect_refuses_changes_until_removed(front_door, sessions):
    assert front_door.flask("audit", "protect").output == "audit guard installed\n"
    with pytest.raises(DBAPIError, match="append-only"), sessions() as session:
        session.execute(text("DELETE FROM audit_event"))
    assert front_door.flask("audit", "protect", "--remove").output == "audit guard removed\n"
    with sessions() as session, transaction(session):
        session.execute(text("DELETE FROM audit_event"))
    assert front_door.flask("audit", "verify").output == "audit chain ok: 0 rows\n"
