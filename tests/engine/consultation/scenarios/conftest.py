"""Scenario fixtures: the real processes/ bundle, a seeded world, a clock and a role driver.

Every step runs in a fresh session, so nothing survives in memory between wait states: the
engine reloads each instance from the database. After each step the driver also checks that
the stored state reloads to the same workflow and the same inbox.
"""
import json
import zlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine.actor import Actor
from engine.consultation import cases as consultations
from engine.models import HumanTask, Notification, ProcessInstance
from engine.uow import read_only
from engine.workflow import live, runtime, state, tasks, timers
from engine.workflow.rows import read_row
from tests.engine.walks import assert_walks_agree, check_every_lone_ready
from tests.factories import QUESTION

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning


def fire_due_timers(Session) -> int:
    """Sweeps of the real timer worker until nothing more is due (a fired timer may make
    another one due at once); returns how many instances were fired."""
    fired = 0
    for _ in range(10):
        result = timers.sweep(Session)
        assert result.failed == 0 and not result.errors, result.errors
        if result.fired == 0:
            return fired
        fired += result.fired
    return fired


def _state_json(blob: bytes) -> dict:
    return json.loads(zlib.decompress(blob))


def assert_reloads(Session, instance_id: int) -> None:
    """A save/reload round trip keeps the workflow, and the inbox index matches it.

    The live workflow the next step will reuse is checked too and put back: it serializes to
    the stored state (finished tasks' reused JSON and all), and the ready rows it remembers
    are the table's. So is the workflow loaded from the stored bytes, which reuses their JSON
    for its settled tasks (engine.workflow.state.load), with and without that reuse."""
    with Session() as s, read_only(s):
        row = read_row(s, instance_id)
        kept, projected = live.take(s, row)
        loaded = runtime.load(s, instance_id, Actor.system())  # from the stored bytes
        stored = _state_json(loaded.row.state)
        assert _state_json(state.dump(loaded.workflow)) == stored
        # A loaded workflow reuses its settled tasks' stored JSON: converting it afresh must
        # give the same state
        assert _state_json(state.dump(loaded.workflow, reuse=False)) == stored
        ready = {str(t.id) for t in loaded.workflow.get_tasks(state=TaskState.READY,
                                                               manual=True)}
        indexed = dict(s.execute(select(HumanTask.id, HumanTask.due_at).where(
            HumanTask.instance_id == instance_id, HumanTask.state == "ready")).all())
        assert ready == set(indexed)
        assert_walks_agree(loaded.workflow)
        if kept is not None:
            assert _state_json(state.dump(kept)) == stored
            assert _state_json(state.dump(kept, reuse=False)) == stored
            assert projected is None or projected == indexed
            live.keep(s, row, kept, projected)


class Driver:
    """Plays the roles: each call is one use case in its own, fresh session."""

    def __init__(self, Session, world, clock):
        self.Session, self.world, self.clock = Session, world, clock

    def submit(self, citizen: str = "citizen1", **fields) -> int:
        with self.Session() as s:
            cid = consultations.submit(s, self.world[citizen], {**QUESTION, **fields}).id
        self.check(cid)
        return cid

    def inbox(self, who: str, cid: int | None = None) -> list:
        with self.Session() as s:
            found = tasks.tasks_for_user(s, self.world[who])
        return [t for t in found if cid is None or t.business_key == str(cid)]

    def keys(self, who: str, cid: int | None = None) -> list[str]:
        return sorted(t.key for t in self.inbox(who, cid))

    def task(self, who: str, key: str, cid: int | None = None):
        found = [t for t in self.inbox(who, cid) if t.key == key]
        assert len(found) == 1, f"{who} should have one '{key}' task: {self.keys(who)}"
        return found[0]

    def do(self, who: str, key: str, cid: int, **data):
        """Complete the actor's `key` task on consultation `cid` with form data."""
        task = self.task(who, key, cid)
        with self.Session() as s:
            tasks.get_task(s, task.id, self.world[who])  # the form the user is shown
            done = tasks.complete(s, task.id, self.world[who], data)
        self.check(cid)
        return done

    def later(self, **delta) -> int:
        """Let time pass, then run one timer sweep as the worker would."""
        self.clock.shift(timedelta(**delta))
        fired = fire_due_timers(self.Session)
        with self.Session() as s:
            running = s.scalars(select(ProcessInstance.id).where(
                ProcessInstance.status == "running")).all()
        for instance_id in running:
            assert_reloads(self.Session, instance_id)
        return fired

    def instance(self, cid: int) -> ProcessInstance:
        """The consultation's process instance as stored now."""
        with self.Session() as s:
            return s.scalar(select(ProcessInstance).where(
                ProcessInstance.business_key == str(cid)).order_by(ProcessInstance.id))

    def check(self, cid: int) -> None:
        assert_reloads(self.Session, self.instance(cid).id)

    def view(self, who: str, cid: int):
        with self.Session() as s:
            return consultations.get_consultation(s, cid, self.world[who])

    def notices(self, who: str, cid: int, kind: str | None = None) -> list[Notification]:
        with self.Session() as s:
            query = select(Notification).where(Notification.user_id == self.world.id(who),
                                               Notification.business_key == str(cid))
            if kind is not None:
                query = query.where(Notification.kind == kind)
            return list(s.scalars(query.order_by(Notification.id)))

    def rows(self, model, cid: int) -> list:
        with self.Session() as s:
            return list(s.scalars(select(model).where(model.consultation_id == cid)
                                  .order_by(model.id)))


@pytest.fixture(autouse=True)
def _deployed(deployed):
    """Every scenario runs on processes/ deployed."""


@pytest.fixture(autouse=True)
def lone_ready_checked(monkeypatch):
    """Every ready-task lookup the engine answers without a walk, at every engine step of
    every scenario (subprocesses and called processes included), agrees with the library."""
    return check_every_lone_ready(monkeypatch)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def play(Session, world, clock) -> Driver:
    return Driver(Session, world, clock)
