"""Test-only helpers and data builders for the timer, outbox and worker tests.

The database comes from conftest's `Session` fixture (SQLite, and PostgreSQL when
TEST_DATABASE_URL is set).
"""
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from sqlalchemy import insert, select, update

from engine.actor import Actor
from engine.models import ACTIVE, ProcessInstance, User
from engine.notifications import outbox
from engine.workflow import instances, versions
from engine.workflow.script_helpers import helper

DATA = Path(__file__).resolve().parent.parent / "data"


@helper
def fixture_notify(ctx, user_id, kind, subject):
    """Test diagrams' way to write an outbox row in the step's transaction."""
    outbox.notify(ctx.session, int(user_id), kind, subject,
                  business_key=ctx.instance.business_key)


@helper
def fixture_duty_officer(ctx):
    """The first active duty officer; fails (as real data problems do) when there is none."""
    found = ctx.session.scalar(select(User.id).where(User.role == "duty_officer",
                                                     User.status == ACTIVE)
                               .order_by(User.id).limit(1))
    if found is None:
        raise ValueError("没有在岗的值班人员")
    return found


@pytest.fixture(name="actors")
def actors_fixture(Session) -> dict[str, Actor]:
    """One user per role (the lawyer has an e-mail address), as {role: Actor}.

    Unlike conftest's `people`, no session is left open: these tests use several sessions
    and worker processes, and on SQLite an open session would hold the write lock.
    """
    with Session() as s:
        users = [User(username=role, role=role, display_name=role,
                      email="lawyer@example.org" if role == "lawyer" else None)
                 for role in ("citizen", "lawyer", "staff", "duty_officer", "admin")]
        s.add_all(users)
        s.commit()
        return {u.role: Actor.of(u) for u in users}


def url_of(sessions) -> str:
    """The database URL behind a sessionmaker, for worker subprocesses."""
    return sessions.kw["bind"].url.render_as_string(hide_password=False)


def skip_unless_postgres(sessions) -> None:
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: runs as the [postgresql] variant with TEST_DATABASE_URL")


def set_user(sessions, user_id: int, **values) -> None:
    with sessions() as s:
        s.execute(update(User).where(User.id == user_id).values(**values))
        s.commit()


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
