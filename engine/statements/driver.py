"""The hot path's statements, run on the driver's own connection and sent together.

A use case's writes rarely need an answer at once: `write` queues a statement on the
transaction's connection, and the queue goes out with the next statement that does need one
(`fetch`, or any statement SQLAlchemy runs on that connection) or with the COMMIT. On
PostgreSQL everything sent together travels in one psycopg pipeline: one round trip instead
of one per statement. The order of statements never changes, only when they travel; a queued
write whose row count is not what it must be (a revision check, a task no longer ready) fails
the use case with TaskConflict when its answer arrives, before anything commits.

Statements are SQLAlchemy Core objects compiled once per dialect; their parameters and
results go through the column types' own processors (dates on SQLite, JSON), so they read and
write what the ORM does. Driver errors are raised as SQLAlchemy's (engine.db.is_outage and the
unit of work see the same exceptions), and a dropped connection is invalidated.
"""
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.pool import Pool

from engine.errors import N_, TaskConflict
from engine.statements.prepared import Compiled, Prepared, rows

_QUEUE = "fw_driver_queue"  # key in the pooled connection's info: the queued writes
_BEGAN = "fw_driver_began"  # ... and: this module began the transaction (see _send_postgres)
_IDLE = 0  # psycopg.pq.TransactionStatus.IDLE: no transaction open on the connection
_ANSWERED = (1, 2)  # psycopg.pq.ExecStatus COMMAND_OK, TUPLES_OK: a statement that ran
CONFLICT = N_("该任务已被他人处理或已变更，请刷新后重试")


@dataclass
class Pending:
    """A statement queued or sent: its row count and rows once its answer has arrived."""

    compiled: Compiled
    params: Any
    expect: int | None = None  # the row count it must have, or the use case fails
    prepared: Prepared | None = None
    source: dict | None = None  # the parameters as given
    sent: bool = False
    rowcount: int = -1
    rows: list = field(default_factory=list)

    def first(self):
        return self.rows[0] if self.rows else None


_CONNECTION = "fw_driver_connection"  # key in session.info: (transaction, its connection)


def connection(session: Session) -> Connection:
    """The session's connection for the current transaction (begun as the session begins it),
    remembered for the transaction: asking the session each time costs more than a statement."""
    if isinstance(session, scoped_session):  # Flask-SQLAlchemy's: this thread's session
        session = session()
    kept = session.info.get(_CONNECTION)
    if kept is not None and kept[0] is session.get_transaction():
        return kept[1]
    conn = session.connection()
    session.info[_CONNECTION] = (session.get_transaction(), conn)
    return conn


def write(session: Session, prepared: Prepared, params: dict,
          expect: int | None = None) -> Pending:
    """Queue a write; it is sent with the next statement that needs an answer or the COMMIT."""
    conn = connection(session)
    c, values = prepared.parameters(conn.dialect, params)
    pending = Pending(c, values, expect, prepared, params)
    conn.info.setdefault(_QUEUE, []).append(pending)
    return pending


def amend(session: Session, pending: Pending, **changes) -> bool:
    """Change parameters of a queued write not sent yet; False if it has been sent."""
    if pending.sent:
        return False
    pending.source = {**pending.source, **changes}
    _c, pending.params = pending.prepared.parameters(connection(session).dialect,
                                                     pending.source)
    return True


def fetch(session: Session, prepared: Prepared, params: dict) -> list:
    """Run a statement that answers (with every queued write before it, sent together)."""
    return fetch_many(session, [(prepared, params)])[0]


def read(session: Session, prepared: Prepared, params: dict) -> list:
    """A read of one statement. Outside a transaction it runs on a pooled connection of its
    own in autocommit (no BEGIN and COMMIT travel, and no session transaction is begun and
    ended for it); within one, as part of it (after the queued writes)."""
    if isinstance(session, scoped_session):
        session = session()
    if session.in_transaction():
        return fetch(session, prepared, params)
    engine = session.get_bind()
    dialect, pooled = engine.dialect, engine.raw_connection()
    raw, postgres = pooled.driver_connection, engine.dialect.name == "postgresql"
    c, values = prepared.parameters(dialect, params)
    pending = Pending(c, values)
    try:
        if postgres:
            raw.autocommit = True  # psycopg would begin a transaction
        cursor = raw.cursor()
        cursor.execute(c.sql, values)
        _answer(pending, cursor)
    except dialect.loaded_dbapi.Error as exc:
        raise _translated(dialect, pooled, exc, pending) from exc
    finally:
        if postgres and pooled.dbapi_connection is not None and not raw.closed:
            raw.autocommit = False  # whatever happened: the next user gets transactions
        pooled.close()  # back to the pool (a lost connection is discarded)
    return pending.rows


def fetch_many(session: Session, statements: Iterable[tuple[Prepared, dict]]) -> list[list]:
    """Several answering statements, in order, sent together with the queued writes."""
    conn = connection(session)
    mine = []
    for prepared, params in statements:
        c, values = prepared.parameters(conn.dialect, params)
        mine.append(Pending(c, values))
    _send(conn, [*conn.info.pop(_QUEUE, []), *mine])
    return [p.rows for p in mine]


def flush(session: Session) -> None:
    """Send the queued writes now."""
    conn = connection(session)
    if conn.info.get(_QUEUE):
        _send(conn, conn.info.pop(_QUEUE))


def _send(conn: Connection, batch: list[Pending], commit: bool = False) -> None:
    """Send `batch` (and the COMMIT when asked). A write that lost a race (its row count is
    not what it must be) fails the use case with TaskConflict, also when a later statement
    of the batch failed because of it (e.g. inserting the task the winner inserted)."""
    raw = conn.connection.driver_connection
    try:
        if conn.dialect.name == "postgresql":
            _send_postgres(conn, raw, batch, commit)
        else:
            cursor = raw.cursor()
            for pending in batch:
                cursor.execute(pending.compiled.sql, pending.params)
                _answer(pending, cursor)
                _check(pending)  # nothing after a lost race is sent
    except conn.dialect.loaded_dbapi.Error as exc:
        for pending in batch:
            _check(pending)
        failed = next((p for p in batch if not p.sent), batch[-1] if batch else None)
        raise _translated(conn.dialect, conn, exc, failed) from exc
    for pending in batch:
        _check(pending)


def _check(pending: Pending) -> None:
    if pending.sent and pending.expect is not None and pending.rowcount != pending.expect:
        raise TaskConflict(CONFLICT)


def _send_postgres(conn: Connection, raw, batch: list[Pending], commit: bool) -> None:
    """One round trip: the transaction's BEGIN when this is its first statement, the batch,
    and the COMMIT when asked.

    psycopg sends its own BEGIN and waits for the answer before the first statement, even in
    a pipeline. So when the transaction has not started yet, the connection is switched to
    autocommit (psycopg then sends no BEGIN) and BEGIN goes in the pipeline with the rest;
    the server is then in a transaction that psycopg's commit() and rollback() end as usual.
    The next transaction's begin puts the connection back (`_restore`)."""
    begin = raw.info.transaction_status == _IDLE and not raw.autocommit
    if len(batch) == 1 and not begin and not commit:
        cursor = raw.cursor()
        cursor.execute(batch[0].compiled.sql, batch[0].params)
        _answer(batch[0], cursor)
        return
    if begin:
        raw.autocommit = True
        conn.info[_BEGAN] = True
    cursors = []
    try:
        with raw.pipeline():
            if begin:
                raw.cursor().execute("BEGIN")
            for pending in batch:
                cursor = raw.cursor()
                cursor.execute(pending.compiled.sql, pending.params)
                cursors.append(cursor)
            if commit:  # as a statement: raw.commit() would wait for a sync of its own
                raw.cursor().execute("COMMIT")
    finally:
        # After an error the statements before it have their answers; those after, none.
        for pending, cursor in zip(batch, cursors, strict=False):
            if cursor.pgresult is not None and cursor.pgresult.status in _ANSWERED:
                _answer(pending, cursor)


def _answer(pending: Pending, cursor) -> None:
    pending.sent = True
    pending.rowcount = cursor.rowcount
    if pending.compiled.columns:
        pending.rows = rows(pending.compiled, cursor.fetchall())


def _translated(dialect: Dialect, connection, exc: Exception,
                pending: Pending | None) -> DBAPIError:
    """`exc` as SQLAlchemy raises it; `connection` (a SQLAlchemy Connection, or a pooled one
    outside any) is invalidated when the error says the database connection was lost."""
    pooled = connection.connection if isinstance(connection, Connection) else connection
    lost = dialect.is_disconnect(exc, pooled.dbapi_connection, None)
    if lost:
        connection.invalidate(exc)
    return DBAPIError.instance(pending.compiled.sql if pending else None,
                               pending.params if pending else None, exc,
                               dialect.loaded_dbapi.Error, connection_invalidated=lost,
                               dialect=dialect)


@event.listens_for(Engine, "before_cursor_execute")
def _before_other_statement(conn, _cursor, _statement, _params, _context, _many) -> None:
    """A statement SQLAlchemy runs goes after the writes queued before it."""
    if conn.info.get(_QUEUE):
        _send(conn, conn.info.pop(_QUEUE))


@event.listens_for(Engine, "commit")
def _with_commit(conn) -> None:
    """The queued writes travel with the COMMIT (PostgreSQL: in the same round trip; the
    driver's own COMMIT that follows then finds no transaction and sends nothing)."""
    batch = conn.info.pop(_QUEUE, None)
    if batch:
        # A write that must match a row count is checked before anything commits.
        checked = any(p.expect is not None for p in batch)
        _send(conn, batch, commit=conn.dialect.name == "postgresql" and not checked)


@event.listens_for(Engine, "rollback")
def _drop(conn) -> None:
    conn.info.pop(_QUEUE, None)


@event.listens_for(Pool, "reset")
def _forget(_dbapi_connection, record, _state) -> None:
    """A connection going back to the pool takes nothing queued with it."""
    record.info.pop(_QUEUE, None)


@event.listens_for(Engine, "begin")
def _on_begin(conn) -> None:
    """A new transaction on a connection this module switched to autocommit: switch it back,
    so that psycopg begins the transaction for whatever SQLAlchemy runs first."""
    if conn.info.get(_BEGAN):
        _restore(conn.connection.driver_connection, conn.info)


@event.listens_for(Pool, "checkin")
def _on_checkin(dbapi_connection, record) -> None:
    if dbapi_connection is not None and record.info.get(_BEGAN):
        _restore(getattr(dbapi_connection, "driver_connection", dbapi_connection), record.info)


def _restore(raw, info: dict) -> None:
    if raw.info.transaction_status == _IDLE:
        raw.autocommit = False
        info.pop(_BEGAN, None)
