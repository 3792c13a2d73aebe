"""Timer sweep cost against the number of waiting instances.

    python bench/timer_bench.py [--sizes 10000,100000] [--db sqlite|postgres] [--due 1000]

For each size N: N - due instances wait on timers days away and `due` are overdue (all rows
share one real serialized state, copied). Prints the time of a sweep that finds nothing due,
of the sweep that fires the due ones, and the per-timer firing cost, side by side.
Targets: empty sweep < 10 ms and within x1.5 across sizes; per-timer cost flat.
PostgreSQL: TEST_DATABASE_URL (default postgresql+psycopg://postgres@127.0.0.1:5432/test);
a scratch database is created next to it and dropped afterwards.
"""
import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import insert, text, update

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.actor import Actor  # noqa: E402
from engine.db import make_sessionmaker  # noqa: E402
from engine.models import Base, ProcessInstance  # noqa: E402
from engine.workflow import instances, timers, versions  # noqa: E402
from tools.scratch_db import scratch_database  # noqa: E402

DIAGRAM = ROOT / "tests" / "data" / "timer_only.bpmn"  # a 7-day timer, then a script
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def populate(sessions, waiting: int, due: int) -> None:
    now = datetime.now(UTC)
    with sessions() as s:
        versions.deploy(s, [DIAGRAM])
        with time_machine.travel(now - timedelta(days=8), tick=False):
            first = instances.start(s, "timer_only", {}, Actor.system()).id
        s.execute(update(ProcessInstance).where(ProcessInstance.id == first)
                  .values(next_timer_at=now + timedelta(days=30)))
        row = s.get(ProcessInstance, first)
        template = dict(version_id=row.version_id, process_key=row.process_key, state=row.state,
                        status="running", revision=1, created_at=now, updated_at=now, failures=0)
        s.commit()
        rows = [dict(template, business_key=f"w{i}",
                     next_timer_at=now + timedelta(days=1, seconds=i % 2_000_000))
                for i in range(waiting - 1)]
        rows += [dict(template, business_key=f"d{i}", next_timer_at=now - timedelta(seconds=i))
                 for i in range(due)]
        for start in range(0, len(rows), 10_000):
            s.execute(insert(ProcessInstance), rows[start:start + 10_000])
        s.commit()
    # Steady state before measuring: statistics fresh, and no autovacuum racing the sweep.
    bind = sessions.kw["bind"]
    with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE" if bind.dialect.name == "postgresql" else "ANALYZE"))


def empty_sweep_ms(sessions, runs: int = 200) -> float:
    later = datetime.now(UTC) - timedelta(days=1)  # before every due row: nothing to do
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        result = timers.sweep(sessions, now=later)
        times.append((time.perf_counter() - began) * 1000)
        assert result.fired == 0
    return statistics.median(times)


def due_plan(sessions) -> str:
    """The database's plan for the sweep's due query (should be an index range scan)."""
    with sessions() as s:
        dialect = s.get_bind().dialect
        sql = timers.due_query(datetime.now(UTC), 50).compile(
            dialect=dialect, compile_kwargs={"literal_binds": True})
        explain = "EXPLAIN" if dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        rows = s.execute(text(f"{explain} {sql}")).all()
        s.rollback()
    return " | ".join(str(r[-1]).strip() for r in rows)


def measure(db: str, size: int, due: int) -> dict:
    kind = "sqlite" if db == "sqlite" else "postgresql"
    server = os.environ.get("TEST_DATABASE_URL", PG_DEFAULT)
    with scratch_database(kind, server, prefix=f"timer_bench_{size}") as url:
        return _measure(url, size, due)


def _measure(url: str, size: int, due: int) -> dict:
    sessions = make_sessionmaker(url)
    try:
        Base.metadata.create_all(sessions.kw["bind"])
        populate(sessions, size - due, due)
        plan = due_plan(sessions)
        empty = empty_sweep_ms(sessions)
        began = time.perf_counter()
        result = timers.sweep(sessions)
        firing = time.perf_counter() - began
        assert result.fired == due, result
        return {"empty_ms": empty, "fire_s": firing, "per_timer_ms": firing * 1000 / due,
                "empty_after_ms": empty_sweep_ms(sessions), "plan": plan}
    finally:
        sessions.kw["bind"].dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--due", type=int, default=1000)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    measure(args.db, 2_000, 200)  # warm-up: imports, spec and script caches
    results = {n: measure(args.db, n, args.due) for n in sizes}
    print(f"timer sweep on {args.db}: {args.due} due among N waiting instances")
    print(f"{'':28}" + "".join(f"{'N=' + format(n, ','):>14}" for n in sizes))
    for key, label in [("empty_ms", "empty sweep (ms, median)"),
                       ("fire_s", f"sweep firing {args.due} (s)"),
                       ("per_timer_ms", "firing cost per timer (ms)"),
                       ("empty_after_ms", "empty sweep after (ms)")]:
        print(f"{label:28}" + "".join(f"{results[n][key]:>14.3f}" for n in sizes))
    print(f"plan at N={sizes[-1]:,}: {results[sizes[-1]]['plan']}")
    if len(sizes) > 1:
        small, big = results[sizes[0]], results[sizes[-1]]
        print(f"timer_{args.db}_empty_sweep_ratio_{sizes[-1]}_to_{sizes[0]}: "
              f"{big['empty_ms'] / small['empty_ms']:.2f} (target <= 1.5)")
        print(f"timer_{args.db}_per_timer_cost_ratio_{sizes[-1]}_to_{sizes[0]}: "
              f"{big['per_timer_ms'] / small['per_timer_ms']:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
