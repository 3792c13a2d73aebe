"""The audit chain check finds the first altered or orphaned row; the guard refuses edits."""
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from engine import audit
from engine.audit import verify as audit_verify
from engine.audit.verify import ALTERED, UNLINKED
from engine.models import AuditEvent
from engine.uow import transaction


@pytest.fixture
def chain(session):
    """Twelve audit rows written by four use cases; returns their ids in order."""
    for batch in range(4):
        with transaction(session):
            for n in range(3):
                audit.record(session, "complete", None, business_key=str(batch),
                             data={"data": {"answer_text": f"解答 {batch}-{n}", "n": n}})
    return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_intact_chain_is_ok(session, chain):
    result = audit_verify.verify(session, batch=5)  # several fetches
    assert (result.ok, result.checked, result.first_bad_id) == (True, 12, None)
    assert result.message() == "audit chain ok: 12 rows"


def test_empty_chain_is_ok(session):
    assert audit_verify.verify(session).message() == "audit chain ok: 0 rows"


def test_altered_row_is_named(session, chain):
    with transaction(session):
        session.execute(text("UPDATE audit_event SET action = 'tampered' WHERE id = :id"),
                        {"id": chain[6]})
    result = audit_verify.verify(session)
    assert (result.ok, result.first_bad_id, result.reason, result.checked) == (
        False, chain[6], ALTERED, 7)
    assert result.message() == f"audit chain broken at row {chain[6]}: {ALTERED}"


def test_altered_data_is_found(session, chain):
    with transaction(session):
        session.execute(update(AuditEvent).where(AuditEvent.id == chain[4])
                        .values(data={"data": {"answer_text": "改过的", "n": 1}}))
    assert audit_verify.verify(session).first_bad_id == chain[4]


def test_row_whose_hash_was_recomputed_breaks_the_next_link(session, chain):
    row = session.get(AuditEvent, chain[2])
    forged = dict(action="tampered", actor_id=row.actor_id, instance_id=row.instance_id,
                  task_id=row.task_id, task_key=row.task_key, business_key=row.business_key,
                  data=row.data, at=row.at)
    with transaction(session):
        session.execute(update(AuditEvent).where(AuditEvent.id == chain[2]).values(
            action="tampered", hash=audit.content_hash(forged, row.prev_hash)))
    result = audit_verify.verify(session)
    assert (result.first_bad_id, result.reason) == (chain[3], UNLINKED)


def test_deleted_row_names_the_row_after_it(session, chain):
    with transaction(session):
        session.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": chain[5]})
    result = audit_verify.verify(session)
    assert (result.ok, result.first_bad_id, result.reason) == (False, chain[6], UNLINKED)


def test_deleted_first_row_is_found(session, chain):
    with transaction(session):
        session.execute(delete(AuditEvent).where(AuditEvent.id == chain[0]))
    assert audit_verify.verify(session).first_bad_id == chain[1]


def test_guard_refuses_update_and_delete(session, chain):
    audit_verify.protect(session)
    audit_verify.protect(session)  # idempotent
    try:
        for sql in ("UPDATE audit_event SET action = 'x' WHERE id = :id",
                    "DELETE FROM audit_event WHERE id = :id"):
            with pytest.raises(DatabaseError, match="append-only"):
                with transaction(session):
                    session.execute(text(sql), {"id": chain[0]})
        with transaction(session):  # appending still works
            audit.record(session, "claim", None)
    finally:
        audit_verify.unprotect(session)
    result = audit_verify.verify(session)
    assert (result.ok, result.checked) == (True, 13)
