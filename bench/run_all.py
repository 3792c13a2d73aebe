"""`make bench`: every benchmark, on SQLite and (when reachable) PostgreSQL, one after another.

PostgreSQL benchmarks run in scratch databases created here and dropped afterwards, on the
server named by TEST_DATABASE_URL (default: the local server, user postgres).
"""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from tools.scratch_db import scratch_database  # noqa: E402

PG = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def run(title: str, *args: str) -> int:
    print(f"\n=== {title} ===", flush=True)
    return subprocess.call([sys.executable, *args], cwd=BENCH.parent)


def postgres_up() -> bool:
    try:
        with create_engine(PG).connect():
            return True
    except OperationalError:
        return False


def main() -> int:
    failures = run("engine overhead (bare, SQLite, PostgreSQL)", "bench/engine_bench.py")
    failures += run("timer sweeps (SQLite)", "bench/timer_bench.py", "--db", "sqlite")
    failures += run("SLA reports (SQLite)", "bench/report_bench.py")
    failures += run("GET /api/v1/me in-process (SQLite)", "bench/me_cpu.py")
    failures += run("memory of the live-workflow cache", "bench/live_memory.py")
    failures += run("garbage-collection pauses of a web worker", "bench/gc_pauses.py")
    failures += run("a workflow loaded from its row and saved", "bench/state_reload.py")
    pg = postgres_up()
    if pg:
        failures += run("timer sweeps (PostgreSQL)", "bench/timer_bench.py", "--db", "postgres")
        with scratch_database("postgresql", PG, prefix="fw_bench") as url:
            failures += run("SLA reports (PostgreSQL)", "bench/report_bench.py", "--db", url,
                            "--reset")
        with scratch_database("postgresql", PG, prefix="fw_bench") as url:
            failures += run("GET /api/v1/me in-process (PostgreSQL)", "bench/me_cpu.py",
                            "--db", url)
    else:
        print(f"\nPostgreSQL not reachable at {PG}: PostgreSQL benchmarks skipped")
    if (BENCH / "http_bench.py").exists():
        failures += run("HTTP under gunicorn", "bench/http_bench.py")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
