"""`make bench`: every benchmark, on SQLite and (when reachable) PostgreSQL, one after another.

PostgreSQL benchmarks run in scratch databases created here and dropped afterwards, on the
server named by TEST_DATABASE_URL (default: the local server, user postgres).
"""
import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

BENCH = Path(__file__).resolve().parent
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


@contextmanager
def scratch_database():
    url = make_url(PG).set(drivername="postgresql+psycopg")
    name = f"fw_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> int:
    failures = run("engine overhead (SQLite file)", "bench/engine_bench.py")
    failures += run("timer sweeps (SQLite)", "bench/timer_bench.py", "--db", "sqlite")
    failures += run("SLA reports (SQLite)", "bench/report_bench.py")
    pg = postgres_up()
    if pg:
        failures += run("timer sweeps (PostgreSQL)", "bench/timer_bench.py", "--db", "postgres")
        with scratch_database() as url:
            failures += run("SLA reports (PostgreSQL)", "bench/report_bench.py", "--db", url,
                            "--reset")
    else:
        print(f"\nPostgreSQL not reachable at {PG}: PostgreSQL benchmarks skipped")
    if (BENCH / "http_bench.py").exists():
        failures += run("HTTP under gunicorn", "bench/http_bench.py")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
