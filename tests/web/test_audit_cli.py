"""`flask audit verify` reports an intact chain and names the first altered row."""
import pytest
from flask import Flask
from sqlalchemy import text

from engine import audit
from engine.db import make_sessionmaker
from engine.models import Base
from engine.uow import transaction

audit_cli = pytest.importorskip("web.audit_cli")


@pytest.fixture
def app(tmp_path):
    url = f"sqlite:///{tmp_path}/audit.db"
    sessions = make_sessionmaker(url)
    Base.metadata.create_all(sessions.kw["bind"])
    with sessions() as session, transaction(session):
        for n in range(3):
            audit.record(session, "complete", None, data={"n": n})
    sessions.kw["bind"].dispose()
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    audit_cli.init_app(app)
    return app


def test_verify_ok(app):
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert (result.exit_code, result.output.strip()) == (0, "audit chain ok: 3 rows")


def test_verify_names_the_altered_row(app):
    sessions = make_sessionmaker(app.config["SQLALCHEMY_DATABASE_URI"])
    with sessions() as session, transaction(session):
        session.execute(text("UPDATE audit_event SET data = '{\"n\": 9}' WHERE id = 2"))
    result = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "audit chain broken at row 2: content does not match its hash" in result.output


def test_protect_then_remove(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["audit", "protect"]).output.strip() == "audit guard installed"
    assert runner.invoke(args=["audit", "protect", "--remove"]).exit_code == 0
