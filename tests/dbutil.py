"""Throwaway databases for tests: a temp-file SQLite, and PostgreSQL when TEST_DATABASE_URL is set.

Each test session gets its own PostgreSQL database (created from TEST_DATABASE_URL's server and
dropped at the end), so several suites can run against one server at once.
"""
import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete

from engine.models import Base
from tools.scratch_db import scratch_database

PG_URL = os.environ.get("TEST_DATABASE_URL", "")


def backends() -> list[str]:
    return ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


@contextmanager
def temp_database(kind: str, tmp_dir) -> Iterator[str]:
    """Yield the URL of a fresh, empty database of `kind`."""
    with scratch_database(kind, PG_URL, prefix="fw_test", tmp_dir=tmp_dir) as url:
        yield url


def clear_tables(engine) -> None:
    """Empty every table, children first (cheaper than dropping and creating them)."""
    from engine.workflow import live, versions

    live.clear()
    versions.clear_caches()
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
