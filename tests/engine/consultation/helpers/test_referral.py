"""Referral helpers: choosing an institution, keeping the referral record, notifying it."""

import pytest

from engine.errors import NoInstitutionAvailable
from engine.models import Institution, Referral
from tests.factories import notes


def test_pick_institution(session, run, world, case):
    east, west = world.institutions["east"], world.institutions["west"]
    assert run("pick_institution", case.id, []) == east
    assert run("pick_institution", case.id, [east]) == west
    with pytest.raises(NoInstitutionAvailable):
        run("pick_institution", case.id, [east, west])
    session.get(Institution, west).active = False
    session.commit()
    with pytest.raises(NoInstitutionAvailable):
        run("pick_institution", case.id, [east])


def test_record_referral_keeps_one_row_per_referral(session, run, world, case):
    east, west = world.institutions["east"], world.institutions["west"]
    first = run("record_referral", case.id, "offered", east, None, None, None, None)
    run("record_referral", case.id, "declined", east, None, "本所律师均有利益冲突", None, None)
    run("record_referral", case.id, "accepted", west, world.id("zhao"), None, None, None)
    last = run("record_referral", case.id, "agreed", None, None, None, "WT-2026-001",
               "2026-03-05")
    assert first == last
    referral = session.get(Referral, last)
    assert (referral.status, referral.institution_id, referral.handler_id) == (
        "agreed", west, world.id("zhao"))
    assert referral.decline_reason == "本所律师均有利益冲突"
    assert (referral.agreement_no, referral.signed_on.isoformat()) == ("WT-2026-001",
                                                                       "2026-03-05")


def test_notify_institution_reaches_its_active_members(session, run, world, case):
    assert run("notify_institution", world.institutions["west"], "reminder", case.id) == 3
    assert [n.kind for n in notes(session, world.id("liu"))] == ["reminder"]
    assert notes(session, world.id("wang")) == []
