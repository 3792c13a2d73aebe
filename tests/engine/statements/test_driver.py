"""The driver path: queued writes keep their order, fail the use case on a moved row count
before anything commits, vanish with a rollback; reads outside a transaction leave the
connection as they found it. On SQLite and on PostgreSQL (pipelines, autocommit)."""
import pytest
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.exc import DBAPIError

from engine.errors import TaskConflict
from engine.models import User, utcnow
from engine.statements import driver
from engine.uow import transaction

USERS = User.__table__
ADD = driver.Prepared(insert(USERS))
RENAME = driver.Prepared(update(USERS).where(USERS.c.username == bindparam("old"))
                         .values(display_name=bindparam("name")))
NAMED = driver.Prepared(select(USERS.c.display_name).where(USERS.c.username == bindparam("u")))


def _user(name: str) -> dict:
    """Every column a Python-side default would fill: the driver path refuses to guess."""
    return dict(username=name, role="lawyer", display_name=name, status="active",
                password_hash="", must_change_password=False, categories=[], created_at=utcnow())


def _names(Session) -> list[str]:
    with Session() as s:
        return list(s.scalars(select(User.display_name).order_by(User.username)))


def test_queued_writes_go_out_before_the_next_statement_and_in_order(Session):
    with Session() as s, transaction(s):
        driver.write(s, ADD, _user("a"))
        driver.write(s, RENAME, {"old": "a", "name": "改名"}, expect=1)
        # The ORM's read sees both: the queue went out, in order, before it.
        assert s.scalar(select(User.display_name).where(User.username == "a")) == "改名"
        driver.write(s, ADD, _user("b"))
        assert [r.display_name for r in driver.fetch(s, NAMED, {"u": "b"})] == ["b"]
        driver.write(s, ADD, _user("c"))  # travels with the COMMIT
    assert _names(Session) == ["改名", "b", "c"]


def test_a_moved_row_count_fails_the_use_case_and_nothing_commits(Session):
    with pytest.raises(TaskConflict), Session() as s, transaction(s):
        driver.write(s, ADD, _user("a"))
        driver.write(s, RENAME, {"old": "nobody", "name": "x"}, expect=1)
    assert _names(Session) == []


def test_a_rollback_drops_what_was_queued(Session):
    with Session() as s:
        with pytest.raises(RuntimeError), transaction(s):
            driver.write(s, ADD, _user("lost"))
            raise RuntimeError("the use case fails before its commit")
        with transaction(s):
            driver.write(s, ADD, _user("kept"))
    assert _names(Session) == ["kept"]


def test_a_failed_read_leaves_the_connection_to_the_next_transaction(Session):
    with Session() as s:
        with pytest.raises(DBAPIError):  # PostgreSQL text cannot hold NUL; SQLite: no table
            driver.read(s, NAMED if s.get_bind().dialect.name == "postgresql"
                        else driver.Prepared(select(func.nosuchfunction())), {"u": "\x00"})
    # The next use case on the pool is still one transaction: all or nothing.
    with pytest.raises(RuntimeError), Session() as s, transaction(s):
        s.execute(insert(USERS), [_user("half")])
        raise RuntimeError("fails after its first write")
    assert _names(Session) == []


def test_an_insert_missing_a_defaulted_column_is_refused_before_it_runs(Session):
    with pytest.raises(ValueError, match="give every column a value"), Session() as s:
        driver.write(s, ADD, {"username": "x", "role": "lawyer"})


def test_a_lost_race_is_a_conflict_even_when_a_later_statement_fails_because_of_it(Session):
    """The loser's revision check matches no row, and the task the winner already inserted
    makes the loser's own insert fail: the person is told of the conflict, not of an error."""
    with Session() as s, transaction(s):
        driver.write(s, ADD, _user("taken"))
    with pytest.raises(TaskConflict), Session() as s, transaction(s):
        driver.write(s, RENAME, {"old": "nobody", "name": "x"}, expect=1)
        driver.write(s, ADD, _user("taken"))  # unique username: fails after the lost check
    assert _names(Session) == ["taken"]
