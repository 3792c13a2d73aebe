"""Database engines for the CLI, the worker and engine tests (the web app uses Flask-SQLAlchemy)."""
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

# Execution option a use case that writes sets when it begins its transaction (engine.uow).
WRITES = "fw_writes"


def configure(engine: Engine) -> Engine:
    """SQLite: WAL, foreign keys; a transaction that will write begins IMMEDIATE (it takes the
    write lock at once, so writers queue instead of one failing to upgrade a read lock), any
    other begins deferred and reads beside the writer."""
    if engine.dialect.name != "sqlite":
        return engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        writes = conn.get_execution_options().get(WRITES)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


# Every session the product opens (web requests, CLI, worker, tests) behaves the same way:
# - no autoflush: a use case's ORM changes are written by the flushes it asks for and the one
#   before commit, not before every query (each autoflush with a dirty row is an UPDATE);
# - objects stay readable after commit: a use case's results are plain data anyway.
SESSION_OPTIONS = {"autoflush": False, "expire_on_commit": False}


def make_engine(url: str, **kwargs) -> Engine:
    return configure(create_engine(url, **kwargs))


def make_sessionmaker(url: str, **kwargs) -> sessionmaker[Session]:
    return sessionmaker(make_engine(url, **kwargs), **SESSION_OPTIONS)
