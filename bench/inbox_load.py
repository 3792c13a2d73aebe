"""The inbox with 100,000 open tasks: bulk-insert human_task rows, then time a lawyer's inbox.

The rows are the inbox index only (no workflows behind them): inbox queries never load one.
"""
import statistics
import time
import uuid

from sqlalchemy import insert, select

from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.models import HumanTask, Institution, ProcessInstance, ProcessVersion, User, utcnow
from engine.workflow import tasks

BATCH = 5000


def fill(url: str, total: int, lawyer_username: str, own: int = 20) -> None:
    """`total` ready tasks: most assigned to 200 other lawyers, some offered to roles and
    institutions, `own` assigned to `lawyer_username`."""
    Session = make_sessionmaker(url)
    with Session() as s:
        version = ProcessVersion(key="bulk", number=1, files={}, checksum="bulk")
        s.add(version)
        s.flush()
        instance = ProcessInstance(version_id=version.id, process_key="bulk", state=b"")
        inst = Institution(name=f"压测机构 {uuid.uuid4().hex[:6]}")
        s.add_all([instance, inst])
        s.flush()
        others = [User(username=f"bulk_{uuid.uuid4().hex[:10]}", role="lawyer",
                       institution_id=inst.id) for _ in range(200)]
        s.add_all(others)
        s.flush()
        me = s.scalar(select(User.id).where(User.username == lawyer_username))
        now = utcnow()
        rows = []
        for n in range(total):
            if n < own:
                who, role, institution = me, "lawyer", None
            elif n % 5 == 0:
                who, role, institution = None, ("staff", "duty_officer", "lawyer")[n % 3], inst.id
            else:
                who, role, institution = others[n % len(others)].id, "lawyer", None
            rows.append({"id": str(uuid.uuid4()), "instance_id": instance.id, "bpmn_id": "bulk",
                         "name": "压测任务", "role": role, "assignee_id": who,
                         "institution_id": institution, "business_key": str(1_000_000 + n),
                         "state": "ready", "created_at": now, "candidate_groups": [],
                         "due_at": now.replace(microsecond=0) if n % 7 else None})
            if len(rows) == BATCH:
                s.execute(insert(HumanTask), rows)
                rows = []
        if rows:
            s.execute(insert(HumanTask), rows)
        s.commit()
        if url.startswith("postgresql"):
            s.connection().exec_driver_sql("ANALYZE human_task")
            s.commit()
    Session.kw["bind"].dispose()


def time_engine(url: str, username: str, runs: int = 200) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, rows) of engine.tasks.tasks_for_user in this process."""
    Session = make_sessionmaker(url)
    with Session() as s:
        actor = Actor.of(s.scalar(select(User).where(User.username == username)))
        s.rollback()
        found = tasks.tasks_for_user(s, actor)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            tasks.tasks_for_user(s, actor)
            times.append(time.perf_counter() - start)
    Session.kw["bind"].dispose()
    return _p(times, 0.5), _p(times, 0.95), len(found)


def time_http(api, runs: int = 200) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, rows) of GET /api/v1/tasks through the server."""
    times, rows = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        rows = len(api.call("GET", "/api/v1/tasks", "GET /tasks (100k open)"))
        times.append(time.perf_counter() - start)
    return _p(times, 0.5), _p(times, 0.95), rows


def _p(values: list[float], q: float) -> float:
    if q == 0.5:
        return statistics.median(values) * 1000
    return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000
