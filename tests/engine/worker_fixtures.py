"""Fixtures for the timer, outbox and worker tests: a real database and test-only helpers.

The database is a temporary SQLite file, or a fresh PostgreSQL database (dropped at the end)
when TEST_DATABASE_URL is set, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test.
"""
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

from engine import instances, outbox, versions
from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.helpers import helper
from engine.models import Base, ProcessInstance, User

DATA = Path(__file__).resolve().parent.parent / "data"
PG_URL = os.environ.get("TEST_DATABASE_URL")
needs_postgres = pytest.mark.skipif(
    not (PG_URL or "").startswith("postgresql"),
    reason="needs PostgreSQL: set TEST_DATABASE_URL=postgresql+psycopg://postgres@host/db")


@helper
def fixture_notify(ctx, user_id, kind, subject):
    """Test diagrams' way to write an outbox row in the step's transaction."""
    outbox.notify(ctx.session, int(user_id), kind, subject,
                  business_key=ctx.instance.business_key)


@helper
def fixture_duty_officer(ctx):
    """The first duty officer; fails (as real data problems do) when there is none."""
    found = ctx.session.scalar(select(User.id).where(User.role == "duty_officer")
                               .order_by(User.id).limit(1))
    if found is None:
        raise ValueError("没有在岗的值班人员")
    return found


@pytest.fixture(scope="session")
def _postgres_database():
    """A database of its own for this test run, created through the server's `postgres` db."""
    url = make_url(PG_URL)
    name = f"worker_test_{os.getpid()}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def db_url(request, tmp_path) -> str:
    if PG_URL and PG_URL.startswith("postgresql"):
        return request.getfixturevalue("_postgres_database")
    return f"sqlite:///{tmp_path / 'worker.db'}"


@pytest.fixture
def sessions(db_url):
    """A sessionmaker on an empty schema (dropped again after the test)."""
    factory = make_sessionmaker(db_url)
    bind = factory.kw["bind"]
    Base.metadata.drop_all(bind)
    Base.metadata.create_all(bind)
    yield factory
    bind.dispose()
    Base.metadata.drop_all(bind)
    bind.dispose()


@pytest.fixture
def people(sessions) -> dict[str, Actor]:
    """A lawyer, a citizen and an administrator (no duty officer: tests add one)."""
    with sessions() as s:
        users = [User(username="lawyer", role="lawyer", email="lawyer@example.org"),
                 User(username="citizen", role="citizen"),
                 User(username="admin", role="admin")]
        s.add_all(users)
        s.commit()
        return {u.username: Actor.of(u) for u in users}


def deploy(sessions, *names: str) -> None:
    with sessions() as s:
        versions.deploy(s, [DATA / n for n in names])


def start(sessions, key: str, data: dict, at: datetime | None = None) -> int:
    """Start an instance (at `at`, if given, so its timers count from then)."""
    with sessions() as s:
        if at is None:
            return instances.start(s, key, data, Actor.system()).id
        with time_machine.travel(at, tick=False):
            return instances.start(s, key, data, Actor.system()).id


def waiting_instances(sessions, count: int, started: datetime) -> list[int]:
    """`count` timer_only instances started at `started`, sharing one real serialized state."""
    deploy(sessions, "timer_only.bpmn")
    first = start(sessions, "timer_only", {}, at=started)
    with sessions() as s:
        row = s.get(ProcessInstance, first)
        template = dict(version_id=row.version_id, process_key=row.process_key, state=row.state,
                        status="running", revision=1, next_timer_at=row.next_timer_at,
                        created_at=started, updated_at=started, failures=0)
        s.execute(insert(ProcessInstance), [dict(template, business_key=f"bulk-{i}")
                                            for i in range(count - 1)])
        s.commit()
        return list(s.scalars(select(ProcessInstance.id).order_by(ProcessInstance.id)))


def a_week_ago() -> datetime:
    return datetime.now().astimezone() - timedelta(days=7, minutes=5)
