"""Engine fixtures: no Flask. Every test runs on SQLite, and on PostgreSQL when configured.
The shared ones (world, deployed, people) are in tests/fixtures.py."""
import pytest
from sqlalchemy.orm import sessionmaker

from engine.db import SESSION_OPTIONS, make_engine
from engine.models import Base
from tests.dbutil import backends, clear_tables, temp_database


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
