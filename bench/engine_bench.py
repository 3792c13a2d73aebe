"""Engine overhead: the review-loop lifecycle through the engine vs bare SpiffWorkflow.

The lifecycle has six user tasks (draft, review→revise, draft, review→approve, publish, confirm),
a gateway loop, a script and a boundary timer. Every completion is preceded by the user's inbox
query. The engine runs it with one transaction per step on a SQLite file and on PostgreSQL (a
scratch database on TEST_DATABASE_URL's server, when reachable); the bare run is the same
diagram in memory with SpiffWorkflow alone. The sides take turns within each round (the order
rotating), so a machine whose speed drifts slows all of them alike; ratios are paired per round
and the medians printed.

Statements, commits and round trips are counted in a separate, untimed lifecycle: SQLite's
trace callback sees every statement; on PostgreSQL libpq's protocol trace shows every message,
and a round trip is the client sending and then waiting for the server's answer.

    python bench/engine_bench.py [-n 30] [--rounds 12] [--profile]
    SORT=tottime LINES=40 CALLERS=get_tasks python bench/engine_bench.py --profile
"""
import argparse
import cProfile
import gc
import os
import pstats
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.protocol_count import Counter  # noqa: E402
from engine.actor import Actor  # noqa: E402
from engine.db import make_sessionmaker  # noqa: E402
from engine.models import Base, ProcessInstance, User  # noqa: E402
from engine.workflow import instances, tasks, versions  # noqa: E402
from engine.workflow.bundle import parse, read_files  # noqa: E402
from engine.workflow.script_helpers import ScriptContext, bind  # noqa: E402
from engine.workflow.scripting import script_engine  # noqa: E402
from tools.scratch_db import scratch_database  # noqa: E402

PG = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DIAGRAM = ROOT / "tests" / "data" / "review_loop.bpmn"
STEPS = [("staff", {"text": "初稿"}), ("lawyer", {"decision": "revise"}),
         ("staff", {"text": "二稿"}), ("lawyer", {"decision": "approve"}),
         ("lawyer", {}), ("citizen", {"satisfied": True})]


class Bare:
    """The diagram in memory with SpiffWorkflow alone."""

    name = "bare SpiffWorkflow, in memory"

    def __init__(self):
        self.spec, self.subprocess_specs = parse(read_files([DIAGRAM])).specs["review_loop"]
        self.engine = script_engine(bind(ScriptContext(None, None, None)))

    def lifecycle(self) -> float:
        """One lifecycle; the seconds its completions took (each with its ready-task query)."""
        wf = BpmnWorkflow(self.spec, self.subprocess_specs, script_engine=self.engine)
        for task in wf.get_tasks(state=TaskState.READY):
            task.data.update({"reviewer_id": 2, "citizen_id": 3})
        wf.do_engine_steps()
        spent = 0.0
        for _role, data in STEPS:
            began = time.perf_counter()
            [task] = wf.get_tasks(state=TaskState.READY, manual=True)
            task.data.update(data)
            task.run()
            wf.refresh_timers()
            wf.do_engine_steps()
            spent += time.perf_counter() - began
        assert wf.is_completed()
        return spent


class Engine:
    """The engine's public use cases on a database, one transaction per step."""

    def __init__(self, name: str, url: str):
        self.name, self.url = name, url
        self.Session = make_sessionmaker(url)
        Base.metadata.create_all(self.Session.kw["bind"])
        with self.Session() as s:
            users = {r: User(username=r, role=r) for r in ("staff", "lawyer", "citizen")}
            s.add_all(users.values())
            s.commit()
            versions.deploy(s, [DIAGRAM])
            self.actors = {r: Actor.of(u) for r, u in users.items()}
        self.start_data = {"reviewer_id": self.actors["lawyer"].id,
                           "citizen_id": self.actors["citizen"].id}
        self.session = self.Session()

    def lifecycle(self) -> float:
        s, spent = self.session, 0.0
        inst = instances.start(s, "review_loop", self.start_data, self.actors["citizen"])
        for role, data in STEPS:
            began = time.perf_counter()
            [task] = [t for t in tasks.tasks_for_user(s, self.actors[role])
                      if t.instance_id == inst.id]
            tasks.complete(s, task.id, self.actors[role], data)
            spent += time.perf_counter() - began
        return spent

    def counted(self) -> dict[str, float]:
        """Statements, commits and round trips per completion (with its inbox query)."""
        self.lifecycle()  # warm: the counted one reuses what a running server would
        with Counter(self.Session.kw["bind"]) as counter:
            self.lifecycle()
        return {k: None if v is None else v / len(STEPS) for k, v in counter.totals().items()}

    def waiting_bytes(self, n: int = 50) -> float:
        with self.Session() as s:
            ids = [instances.start(s, "review_loop", self.start_data, self.actors["citizen"]).id
                   for _ in range(n)]
            sizes = s.scalars(select(func.length(ProcessInstance.state))
                              .where(ProcessInstance.id.in_(ids))).all()
            return sum(sizes) / len(sizes)


def collector_share(side, n: int) -> float:
    """The share of `n` lifecycles' time the garbage collector took (n past the live cache's
    size: what a long-running process meets)."""
    spent, began = [0.0], [0.0]

    def timing(phase: str, _info: dict) -> None:
        if phase == "start":
            began[0] = time.perf_counter()
        else:
            spent[0] += time.perf_counter() - began[0]

    gc.callbacks.append(timing)
    try:
        started = time.perf_counter()
        for _ in range(n):
            side.lifecycle()
        return spent[0] / (time.perf_counter() - started)
    finally:
        gc.callbacks.remove(timing)


def measure(sides: list, n: int, rounds: int) -> dict[str, list[tuple[float, float]]]:
    """(lifecycle seconds, completion seconds) per side and round, for n lifecycles each.
    The sides take turns lifecycle by lifecycle (the order rotating per round), so that this
    machine's drift, which moves by a third within minutes, falls on all of them alike."""
    found = {side.name: [] for side in sides}
    for r in range(rounds):
        spent = {side.name: [0.0, 0.0] for side in sides}
        for _ in range(n):
            for side in sides[r % len(sides):] + sides[:r % len(sides)]:
                began = time.perf_counter()
                completing = side.lifecycle()
                spent[side.name][0] += time.perf_counter() - began
                spent[side.name][1] += completing
        for name, (lifecycles, completing) in spent.items():
            found[name].append((lifecycles, completing))
    return found


def report(found: dict, sides: list, n: int, counts: dict, size: float) -> None:
    bare = found[sides[0].name]
    per_completion = n * len(STEPS)
    print(f"{len(bare)} rounds x {n} lifecycles per side (start + {len(STEPS)} completions, "
          "each with its inbox query)")
    for side in sides:
        runs = found[side.name]
        life = statistics.median(t for t, _c in runs) / n * 1000
        done = statistics.median(c for _t, c in runs) / per_completion * 1000
        print(f"  {side.name:34}: {life:6.2f} ms per lifecycle, {done:5.2f} ms per completion")
    for side in sides[1:]:
        ratios = [e[0] / b[0] for e, b in zip(found[side.name], bare, strict=True)]
        print(f"  {side.name + ' / bare, lifecycle':52}: {statistics.median(ratios):5.2f} "
              f"(rounds {min(ratios):.2f}-{max(ratios):.2f})")
    for name, c in counts.items():
        pages = "" if c["wal_pages"] is None else f", {c['wal_pages']:.1f} pages written"
        print(f"  {name}: per completion {c['statements']:.1f} statements, "
              f"{c['commits']:.1f} commits, {c['round_trips']:.1f} round trips{pages}")
    sqlite = [e[0] / b[0] for e, b in zip(found[sides[1].name], bare, strict=True)]
    print(f"engine_sqlite_ratio: {statistics.median(sqlite):.2f} (target <= 4.5)")
    if len(sides) > 2:
        pg = statistics.median(c for _t, c in found[sides[2].name]) / per_completion * 1000
        print(f"engine_postgres_ms_per_completion: {pg:.2f} (target <= 4.0)")
        trips = counts[sides[2].name]["round_trips"]
        print(f"engine_postgres_round_trips_per_completion: {trips:.1f} (target <= 6)")
    print(f"state_bytes_per_waiting_instance: {size:.0f} (target < 8192)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=30, help="lifecycles per side and round")
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--no-postgres", action="store_true", help="SQLite and bare only")
    ap.add_argument("--collector", type=int, default=600, metavar="N",
                    help="then time the garbage collector over N lifecycles (0: skip)")
    ap.add_argument("--profile", action="store_true",
                    help="print where the engine spends its time (SQLite side)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        sides = [Bare(), Engine("engine, SQLite file", f"sqlite:///{tmp}/bench.db")]
        if not args.no_postgres:
            try:
                url = stack.enter_context(scratch_database("postgresql", PG, prefix="fw_eb"))
                sides.append(Engine("engine, PostgreSQL", url))
            except Exception as exc:  # noqa: BLE001 - any failure to reach it: say so, go on
                print(f"PostgreSQL not reachable ({type(exc).__name__}): SQLite only")
        measure(sides, 5, 1)  # warm caches on every side
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            measure(sides[1:2], args.n, 2)
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative"))
            stats.print_stats(int(os.environ.get("LINES", 30)))
            if os.environ.get("CALLERS"):  # e.g. CALLERS=get_tasks: who calls what matches
                stats.print_callers(os.environ["CALLERS"])
        found = measure(sides, args.n, args.rounds)
        counts = {side.name: side.counted() for side in sides[1:]}
        report(found, sides, args.n, counts, sides[1].waiting_bytes())
        if args.collector:
            share = collector_share(sides[1], args.collector)
            print(f"  {sides[1].name}: garbage collection {share:.1%} of {args.collector} "
                  "more lifecycles' time (no target)")
        for side in sides[1:]:
            side.session.close()
            side.Session.kw["bind"].dispose()


if __name__ == "__main__":
    main()
