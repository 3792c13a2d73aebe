"""Throwaway databases for tests and benchmarks: a temp-file SQLite, or a fresh PostgreSQL
database on a given server (created here, dropped with FORCE afterwards)."""
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_database(kind: str, server_url: str = "", prefix: str = "fw_scratch",
                     tmp_dir: str | Path | None = None) -> Iterator[str]:
    """Yield the URL of a new, empty database of `kind` ("sqlite" or "postgresql")."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(dir=tmp_dir) as tmp:
            yield f"sqlite:///{tmp}/{prefix}.db"
        return
    base = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
