"""Engine overhead: the review-loop lifecycle through the engine vs bare SpiffWorkflow.

The lifecycle has six user tasks (draft, review→revise, draft, review→approve, publish, confirm),
a gateway loop and a boundary timer. The engine runs it with one transaction per step on a
file-backed SQLite database; the raw run is the same diagram in memory with SpiffWorkflow alone.
Both run in this process, side by side.

    python bench/engine_bench.py [-n 200]
"""
import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.actor import Actor  # noqa: E402
from engine.db import make_sessionmaker  # noqa: E402
from engine.models import Base, ProcessInstance, User  # noqa: E402
from engine.workflow import instances, tasks, versions  # noqa: E402
from engine.workflow.bundle import parse, read_files  # noqa: E402
from engine.workflow.script_helpers import ScriptContext, bind  # noqa: E402
from engine.workflow.scripting import script_engine  # noqa: E402

DIAGRAM = ROOT / "tests" / "data" / "review_loop.bpmn"
STEPS = [("staff", {"text": "初稿"}), ("lawyer", {"decision": "revise"}),
         ("staff", {"text": "二稿"}), ("lawyer", {"decision": "approve"}),
         ("lawyer", {}), ("citizen", {"satisfied": True})]


def raw_run(n: int) -> float:
    spec, subprocess_specs = parse(read_files([DIAGRAM])).specs["review_loop"]
    engine = script_engine(bind(ScriptContext(None, None, None)))
    start = time.perf_counter()
    for _ in range(n):
        wf = BpmnWorkflow(spec, subprocess_specs, script_engine=engine)
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update({"reviewer_id": 2, "citizen_id": 3})
        wf.do_engine_steps()
        for _role, data in STEPS:
            [task] = wf.get_tasks(state=TaskState.READY, manual=True)
            task.data.update(data)
            task.run()
            wf.refresh_timers()
            wf.do_engine_steps()
        assert wf.is_completed()
    return time.perf_counter() - start


def setup_db(path: str):
    Session = make_sessionmaker(f"sqlite:///{path}")
    Base.metadata.create_all(Session.kw["bind"])
    with Session() as s:
        users = {r: User(username=r, role=r) for r in ("staff", "lawyer", "citizen")}
        s.add_all(users.values())
        s.commit()
        versions.deploy(s, [DIAGRAM])
        return Session, {r: Actor.of(u) for r, u in users.items()}


def engine_run(Session, actors, n: int) -> float:
    start_data = {"reviewer_id": actors["lawyer"].id, "citizen_id": actors["citizen"].id}
    start = time.perf_counter()
    with Session() as s:
        for _ in range(n):
            inst = instances.start(s, "review_loop", start_data, actors["citizen"])
            for role, data in STEPS:
                [task] = [t for t in tasks.tasks_for_user(s, actors[role])
                          if t.instance_id == inst.id]
                tasks.complete(s, task.id, actors[role], data)
    return time.perf_counter() - start


def waiting_bytes(Session, actors, n: int = 50) -> float:
    with Session() as s:
        data = {"reviewer_id": actors["lawyer"].id, "citizen_id": actors["citizen"].id}
        ids = [instances.start(s, "review_loop", data, actors["citizen"]).id for _ in range(n)]
        sizes = s.scalars(select(func.length(ProcessInstance.state))
                          .where(ProcessInstance.id.in_(ids))).all()
        return sum(sizes) / len(sizes)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=200, help="lifecycles per side")
    ap.add_argument("--profile", action="store_true", help="print where the engine spends time")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        Session, actors = setup_db(os.path.join(tmp, "bench.db"))
        raw_run(20)
        engine_run(Session, actors, 10)  # warm caches on both sides
        raw = raw_run(args.n)
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
        eng = engine_run(Session, actors, args.n)
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(25)
        size = waiting_bytes(Session, actors)
    steps = args.n * (len(STEPS) + 1)
    print(f"lifecycles: {args.n} x (start + {len(STEPS)} user tasks)")
    print(f"raw SpiffWorkflow, in memory : {args.n / raw:8.1f} lifecycles/s "
          f"({raw / args.n * 1000:6.2f} ms each)")
    print(f"engine, SQLite file, 1 tx/step: {args.n / eng:8.1f} lifecycles/s "
          f"({eng / args.n * 1000:6.2f} ms each, {eng / steps * 1000:.2f} ms per transaction)")
    print(f"ratio engine/raw: {eng / raw:.2f}  (target <= 3.0)")
    print(f"stored state per waiting instance: {size:.0f} bytes  (target < 8192)")


if __name__ == "__main__":
    main()
