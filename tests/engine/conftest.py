"""Engine fixtures: no Flask. Every test runs on SQLite, and on PostgreSQL when configured."""
from pathlib import Path

import pytest
from sqlalchemy.orm import sessionmaker

from engine.actor import Actor
from engine.db import SESSION_OPTIONS, make_engine
from engine.models import Base, Institution, User
from tests.dbutil import backends, clear_tables, temp_database

DATA = Path(__file__).resolve().parents[1] / "data"
PROCESSES = Path(__file__).resolve().parents[2] / "processes"


@pytest.fixture(scope="session", params=backends())
def db_engine(request, tmp_path_factory):
    with temp_database(request.param, tmp_path_factory.mktemp("db")) as url:
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        yield engine
        engine.dispose()


@pytest.fixture
def Session(db_engine):
    """A sessionmaker on an empty schema."""
    clear_tables(db_engine)
    yield sessionmaker(db_engine, **SESSION_OPTIONS)
    clear_tables(db_engine)


@pytest.fixture
def session(Session):
    with Session() as s:
        yield s


@pytest.fixture
def people(session):
    """One institution and a user per role; returns {role: Actor}."""
    inst = Institution(name="测试律师事务所")
    session.add(inst)
    session.flush()
    users = {role: User(username=role, role=role, display_name=role,
                        institution_id=inst.id if role in ("lawyer", "staff") else None)
             for role in ("citizen", "lawyer", "staff", "duty_officer", "expert", "admin")}
    session.add_all(users.values())
    session.add(User(username="lawyer2", role="lawyer", display_name="lawyer2"))
    session.commit()
    actors = {role: Actor.of(u) for role, u in users.items()}
    actors["lawyer2"] = Actor.of(session.query(User).filter_by(username="lawyer2").one())
    return actors
