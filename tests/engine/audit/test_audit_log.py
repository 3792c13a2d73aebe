"""The supervisors' audit log: filters by lawyer, institution, dates and action; keyset pages."""
from datetime import UTC, datetime, timedelta

import pytest

from engine.audit import log as audit_log
from engine.errors import NotAllowed
from engine.models import (
    AuditEvent,
    Consultation,
    LawyerWarning,
    ProcessInstance,
    ProcessVersion,
)
from tests.factories import seed

T = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def log(session):
    """wang answers consultation A; zhao (other institution) answers B; wang is warned."""
    w = seed(session)
    a = Consultation(title="A", question="q", category="labor", lawyer_id=w.id("wang"))
    b = Consultation(title="B", question="q", category="labor", lawyer_id=w.id("zhao"))
    version = ProcessVersion(key="supervision", number=1, files={}, checksum="x")
    session.add_all([a, b, version])
    session.flush()
    sanction = ProcessInstance(version_id=version.id, process_key="supervision", state=b"")
    session.add(sanction)
    session.flush()
    session.add(LawyerWarning(lawyer_id=w.id("wang"), kind="warn", reason="r",
                              instance_id=sanction.id))
    rows = [("consultation_submitted", w.id("citizen1"), str(a.id), None, 0),
            ("complete", w.id("wang"), str(a.id), None, 1),
            ("consultation_submitted", w.id("citizen2"), str(b.id), None, 2),
            ("complete", w.id("zhao"), str(b.id), None, 3),
            ("claim", w.id("wang"), None, None, 4),  # wang's own action, no consultation
            ("lawyer_warned", w.id("supervisor"), None, sanction.id, 5)]
    for action, actor, key, instance, day in rows:
        session.add(AuditEvent(action=action, actor_id=actor, business_key=key,
                               instance_id=instance, at=T + timedelta(days=day)))
    session.commit()
    return w


def actions(page):
    return [e.action for e in page.entries]


def test_newest_first_with_names(session, log):
    page = audit_log.search(session, log["supervisor"])
    assert [e.at.day for e in page.entries] == [7, 6, 5, 4, 3, 2]
    assert page.entries[-1].actor_name == "张三" and page.next_before is None


def test_lawyer_filter_covers_actor_and_subject(session, log):
    page = audit_log.search(session, log["supervisor"], lawyer_id=log.id("wang"))
    # The warning about them, their own claim and task completion, and the submission of
    # the consultation they hold; nothing about zhao's consultation.
    assert actions(page) == ["lawyer_warned", "claim", "complete", "consultation_submitted"]


def test_institution_filter(session, log):
    west = log.institutions["west"]
    page = audit_log.search(session, log["admin"], institution_id=west)
    assert actions(page) == ["complete", "consultation_submitted"]
    assert {e.business_key for e in page.entries} == {page.entries[0].business_key}


def test_dates_and_action(session, log):
    page = audit_log.search(session, log["supervisor"], start=T + timedelta(days=1),
                            end=T + timedelta(days=4), action="complete")
    assert [e.at.day for e in page.entries] == [5, 3]


def test_keyset_pages_do_not_overlap(session, log):
    first = audit_log.search(session, log["supervisor"], limit=4)
    second = audit_log.search(session, log["supervisor"], limit=4, before_id=first.next_before)
    assert len(first.entries) == 4 and len(second.entries) == 2
    assert second.next_before is None
    ids = [e.id for e in first.entries + second.entries]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 6


@pytest.mark.parametrize("who", ["duty1", "wang", "citizen1", "expert1"])
def test_only_supervisors_and_admins(session, log, who):
    with pytest.raises(NotAllowed):
        audit_log.search(session, log[who])
    with pytest.raises(NotAllowed):
        audit_log.actions(session, log[who])


def test_actions_for_the_filter(session, log):
    assert audit_log.actions(session, log["supervisor"]) == [
        "claim", "complete", "consultation_submitted", "lawyer_warned"]
