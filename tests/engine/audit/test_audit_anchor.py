"""Anchors of the audit chain outside the database: the worker's timetable, and what
`verify` makes of them (the newest rows deleted, an anchored row replaced)."""
import json
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import text

from engine import audit
from engine.audit import verify as audit_verify
from engine.audit.anchor import AnchorSchedule, read_anchors, write_anchor
from engine.uow import transaction

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def append_rows(session, count: int) -> None:
    with transaction(session):
        for n in range(count):
            audit.record(session, "complete", None, data={"n": n})


def test_the_worker_anchors_every_period_and_only_when_the_chain_grew(Session, tmp_path):
    path = tmp_path / "anchors.jsonl"
    schedule = AnchorSchedule(path, timedelta(minutes=10))
    with Session() as s:
        with time_machine.travel(T, tick=False):
            assert schedule.maybe_write(Session) is None  # nothing to anchor yet
        append_rows(s, 3)
        with time_machine.travel(T + timedelta(minutes=10), tick=False):
            first = schedule.maybe_write(Session)
        append_rows(s, 2)
        with time_machine.travel(T + timedelta(minutes=15), tick=False):
            assert schedule.maybe_write(Session) is None  # not due yet
        with time_machine.travel(T + timedelta(minutes=20), tick=False):
            second = schedule.maybe_write(Session)
        with time_machine.travel(T + timedelta(minutes=30), tick=False):
            assert schedule.maybe_write(Session) is None  # due, but the head has not moved
    assert [a.id for a in read_anchors(path)] == [first.id, second.id]
    assert second.id == first.id + 2
    assert json.loads(path.read_text().splitlines()[0])["time"] == "2026-03-02T09:10:00+00:00"


def test_verify_against_anchors(Session, tmp_path):
    path = tmp_path / "anchors.jsonl"
    with Session() as s:
        append_rows(s, 4)
        early = write_anchor(s, path)
        append_rows(s, 4)
        late = write_anchor(s, path)
        anchors = read_anchors(path)
        result = audit_verify.verify(s, anchors=anchors)
        assert (result.ok, result.anchors, result.message()) == (
            True, 2, "audit chain ok: 8 rows; 2 anchors match")

        with transaction(s):  # the newest rows deleted: a valid but shorter chain
            s.execute(text("DELETE FROM audit_event WHERE id > :id"), {"id": late.id - 2})
        assert audit_verify.verify(s).ok
        result = audit_verify.verify(s, anchors=anchors)
        assert (result.ok, result.first_bad_id) == (False, late.id)
        assert "the newest rows were deleted" in result.reason

        append_rows(s, 5)  # the chain grows past the anchor again, from the shortened head
        result = audit_verify.verify(s, anchors=anchors)
        assert (result.ok, result.first_bad_id) == (False, late.id)
        assert result.reason.startswith(("anchored at", "differs from its anchor"))
        assert audit_verify.verify(s, anchors=[early]).ok  # the older part is untouched
