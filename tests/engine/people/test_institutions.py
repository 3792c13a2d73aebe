"""An institution's residency ends and resumes: only administrators (or the command line),
each recorded once in the audit log, and its members out of standing meanwhile."""
import pytest

from engine import access
from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.models import AuditEvent, Institution
from engine.people import institutions


def test_only_administrators_end_or_resume_a_residency(session, people):
    inst = people["lawyer"].institution_id
    for role in ("lawyer", "duty_officer", "citizen"):
        with pytest.raises(NotAllowed):
            institutions.end_residency(session, people[role], inst, "驻场期满")
        with pytest.raises(NotAllowed):
            institutions.resume_residency(session, people[role], inst)
    assert session.get(Institution, inst).active


def test_members_are_out_of_standing_until_it_resumes(session, people):
    inst, lawyer = people["lawyer"].institution_id, people["lawyer"].id
    name = session.get(Institution, inst).name
    assert institutions.id_named(session, name) == inst
    institutions.end_residency(session, people["admin"], inst, "驻场期满")
    institutions.end_residency(session, people["admin"], inst, "再次")  # nothing more recorded
    assert not access.user_in_standing(session, lawyer)
    institutions.resume_residency(session, people["admin"], inst)
    assert access.user_in_standing(session, lawyer)
    actions = [a for (a,) in session.query(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions == ["institution_deactivated", "institution_reactivated"]
    with pytest.raises(NotFound):
        institutions.id_named(session, "不存在的机构")


def test_a_residency_ends_only_with_a_reason(session, people):
    inst = people["lawyer"].institution_id
    with pytest.raises(InvalidInput) as refused:
        institutions.end_residency(session, people["admin"], inst, "   ")
    assert refused.value.fields == {"reason": ["请说明结束驻场的原因"]}
    assert session.get(Institution, inst).active


def test_administrators_see_each_institution_with_its_members_and_their_work(session, people):
    inst = people["lawyer"].institution_id
    listed = {r.id: r for r in institutions.residencies(session, people["admin"])}
    assert listed[inst].active and listed[inst].members >= 1 and listed[inst].open_work == 0
    with pytest.raises(NotAllowed):
        institutions.residencies(session, people["duty_officer"])
