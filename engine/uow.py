"""One use case, one transaction.

The unit of work knows no feature: what must happen at commit (the audit rows, the live
workflows) is queued in `engine.db.queue` and done by the features' own Session event hooks;
whatever is left when a transaction ends without committing is dropped by engine.db."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.exc import StaleDataError

from engine.db import WRITES, drop_queued
from engine.errors import TaskConflict


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Run a use case: commit at the end, roll back (dropping what it queued) on error."""
    _begin_writing(session)
    try:
        yield session
        session.flush()
        session.commit()
    except StaleDataError:  # a row the ORM was updating or deleting was deleted meanwhile
        session.rollback()
        raise TaskConflict("该记录已被他人变更，请刷新后重试") from None
    except OperationalError as exc:
        session.rollback()
        if "deadlock" in str(exc).lower() or "could not serialize" in str(exc).lower():
            raise TaskConflict("并发冲突，请刷新后重试") from None
        raise
    except BaseException:
        session.rollback()
        raise


def _begin_writing(session: Session) -> None:
    """SQLite: make sure the use case runs in a transaction that holds the write lock. What
    ran before it in the session (a request's token or login check) only read: that
    transaction is ended and an IMMEDIATE one begun. PostgreSQL needs nothing of this."""
    if session.get_bind().dialect.name != "sqlite":
        return
    current = session() if isinstance(session, scoped_session) else session  # Flask-SQLAlchemy
    if current.in_transaction():
        if current.connection().get_execution_options().get(WRITES):
            return
        current.commit()
    current.connection(execution_options={WRITES: True})


def _begin_reading(session: Session, one_transaction: bool) -> None:
    current = session() if isinstance(session, scoped_session) else session  # Flask-SQLAlchemy
    if (one_transaction or current.in_transaction()
            or current.get_bind().dialect.name != "postgresql"):
        return
    current.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@contextmanager
def read_only(session: Session, one_transaction: bool = False) -> Iterator[Session]:
    """A read: ends its transaction so no lock outlives it, and commits nothing it queued.

    A read that succeeded ends with COMMIT, not ROLLBACK: it wrote nothing, so both release
    the same locks, but psycopg forgets every prepared statement of the connection on
    ROLLBACK, and without them PostgreSQL plans each query again (the inbox query: ~0.4 ms
    of planning against ~0.04 ms to run).

    On PostgreSQL a read that begins the session's transaction runs on an autocommit
    connection: no BEGIN and no COMMIT travel, one round trip per statement. Its isolation is
    what READ COMMITTED gives every statement anyway: each sees what was committed when it
    began. `one_transaction`: the reads need a transaction (a server-side cursor does)."""
    _begin_reading(session, one_transaction)
    try:
        yield session
    except BaseException:
        session.rollback()
        raise
    drop_queued(session)
    session.commit()
