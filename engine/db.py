"""Database engines for the CLI, the worker and engine tests (the web app uses Flask-SQLAlchemy),
and the queues a transaction carries to its commit."""
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

# Execution option a use case that writes sets when it begins its transaction (engine.uow).
WRITES = "fw_writes"
# Engine execution option holding the audit chain's HMAC key (engine.audit reads it): the key
# lives in the process's configuration, never in the database.
AUDIT_KEY = "fw_audit_key"
_QUEUES = "fw_queues"
# SQLite: a checkpoint copies the write-ahead log back into the database file and syncs both
# (10 ms and more on a virtual disk), and by default the commit that passes 1,000 pages of log
# runs it, inside someone's request. The worker checkpoints after every sweep (checkpoint());
# a request meets one only past this many pages (~40 MB of log), when no worker has run for a
# while, which keeps the log bounded without one.
WAL_AUTOCHECKPOINT_PAGES = 10_000


def queue(session: Session) -> dict[str, list]:
    """Work queued during the current transaction for the commit, by name.

    A feature that acts on commit appends here and hooks the Session class's events itself:
    the audit trail writes its rows in `before_commit`, the live-workflow cache keeps its
    workflows in `after_commit`. Whatever is left when the outermost transaction ends (rolled
    back, closed, or a read that committed nothing) is dropped, so nothing a failed use case
    queued reaches a later one."""
    return session.info.setdefault(_QUEUES, {})


def drop_queued(session: Session) -> None:
    """Forget everything queued in the current transaction (a read commits none of it)."""
    session.info.pop(_QUEUES, None)


@event.listens_for(Session, "after_transaction_end")
def _drop_leftovers(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        drop_queued(session)


def configure(engine: Engine, audit_key: str | bytes | None = None) -> Engine:
    """The audit chain's key, if given; SQLite: WAL, foreign keys; a transaction that will
    write begins IMMEDIATE (it takes the write lock at once, so writers queue instead of one
    failing to upgrade a read lock), any other begins deferred and reads beside the writer."""
    if audit_key:
        engine.update_execution_options(**{AUDIT_KEY: audit_key})
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
        cur.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        writes = conn.get_execution_options().get(WRITES)
        # On the driver's connection: nothing is queued before a transaction begins, and
        # SQLAlchemy's statement machinery would cost more than the BEGIN itself.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


# Every session the product opens (web requests, CLI, worker, tests) behaves the same way:
# - no autoflush: a use case's ORM changes are written by the flushes it asks for and the one
#   before commit, not before every query (each autoflush with a dirty row is an UPDATE);
# - objects stay readable after commit: a use case's results are plain data anyway.
SESSION_OPTIONS = {"autoflush": False, "expire_on_commit": False}


def make_engine(url: str, audit_key: str | bytes | None = None, **kwargs) -> Engine:
    """An engine for `url`, configured as every engine of the product is."""
    return configure(create_engine(url, **kwargs), audit_key)


def make_sessionmaker(url: str, audit_key: str | bytes | None = None,
                      **kwargs) -> sessionmaker[Session]:
    """Sessions on a new engine for `url` (the CLI, the worker, tests)."""
    return sessionmaker(make_engine(url, audit_key, **kwargs), **SESSION_OPTIONS)


def checkpoint(engine: Engine) -> None:
    """SQLite: copy the write-ahead log back into the database file now, waiting for no
    reader or writer (PASSIVE); what a reader still needs is left for the next one. Nothing
    to do on other databases."""
    if engine.dialect.name != "sqlite":
        return
    pooled = engine.raw_connection()
    try:  # on the driver's connection, outside any transaction (isolation_level None)
        pooled.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    finally:
        pooled.close()


class DatabaseOutage(RuntimeError):
    """The database could not be reached mid-way; the work is retried later, blaming no one."""


def is_outage(exc: BaseException | None) -> bool:
    """Whether `exc`, or an error it was raised from, says the database could not be reached
    or dropped the connection (down, restarting, backend terminated, locked too long) rather
    than that the work itself was wrong. A script's helper that met an outage surfaces as the
    instance's error, so the whole chain of causes is searched."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OperationalError | InterfaceError):
            return True
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return True
        exc = exc.__cause__ or exc.__context__
    return False
