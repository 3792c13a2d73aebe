"""Throwaway databases for tests: a temp-file SQLite, and PostgreSQL when TEST_DATABASE_URL is set.

Each test session gets its own PostgreSQL database (created from TEST_DATABASE_URL's server and
dropped at the end), so several suites can run against one server at once.
"""
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, delete, text
from sqlalchemy.engine import make_url

from engine.models import Base

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@contextmanager
def temp_database(kind: str, tmp_dir) -> Iterator[str]:
    """Yield the URL of a fresh, empty database of `kind`."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_dir}/test-{uuid.uuid4().hex[:8]}.db"
        return
    base = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"fw_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def clear_tables(engine) -> None:
    """Empty every table, children first (cheaper than dropping and creating them)."""
    from engine import live, versions

    live.clear()
    versions.clear_caches()
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
