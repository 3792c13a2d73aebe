"""One use case, one transaction."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.orm.exc import StaleDataError

from engine import audit
from engine.db import WRITES
from engine.errors import TaskConflict
from engine.workflow import live


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Run a use case: commit at the end, roll back (and drop queued audit rows) on error."""
    _begin_writing(session)
    try:
        yield session
        session.flush()
        audit.write_pending(session)
        kept = live.revisions(session)
        session.commit()
        live.committed(kept)
    except StaleDataError:
        _rollback(session)
        raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试") from None
    except OperationalError as exc:
        _rollback(session)
        if "deadlock" in str(exc).lower() or "could not serialize" in str(exc).lower():
            raise TaskConflict("并发冲突，请刷新后重试") from None
        raise
    except BaseException:
        _rollback(session)
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


def _rollback(session: Session) -> None:
    audit.discard(session)
    live.discard(session)
    session.rollback()


@contextmanager
def read_only(session: Session) -> Iterator[Session]:
    """A read: ends its transaction so no lock outlives it.

    A read that succeeded ends with COMMIT, not ROLLBACK: it wrote nothing, so both release
    the same locks, but psycopg forgets every prepared statement of the connection on
    ROLLBACK, and without them PostgreSQL plans each query again (the inbox query: ~0.4 ms
    of planning against ~0.04 ms to run)."""
    try:
        yield session
    except BaseException:
        _rollback(session)
        raise
    audit.discard(session)
    live.discard(session)
    session.commit()
