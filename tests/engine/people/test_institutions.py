"""An institution's residency ends and resumes: only administrators (or the command line),
each recorded once in the audit log, and its members out of standing meanwhile."""
import pytest

from engine import access
from engine.errors import NotAllowed, NotFound
from engine.models import AuditEvent, Institution
from engine.people import institutions


def test_only_administrators_end_or_resume_a_residency(session, people):
    inst = people["lawyer"].institution_id
    for role in ("lawyer", "duty_officer", "citizen"):
        with pytest.raises(NotAllowed):
            institutions.end_residency(session, people[role], inst)
        with pytest.raises(NotAllowed):
            institutions.resume_residency(session, people[role], inst)
    assert session.get(Institution, inst).active


def test_members_are_out_of_standing_until_it_resumes(session, people):
    inst, lawyer = people["lawyer"].institution_id, people["lawyer"].id
    name = session.get(Institution, inst).name
    assert institutions.id_named(session, name) == inst
    institutions.end_residency(session, people["admin"], inst, "驻场期满")
    institutions.end_residency(session, people["admin"], inst)  # again: nothing more recorded
    assert not access.user_in_standing(session, lawyer)
    institutions.resume_residency(session, people["admin"], inst)
    assert access.user_in_standing(session, lawyer)
    actions = [a for (a,) in session.query(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions == ["institution_deactivated", "institution_reactivated"]
    with pytest.raises(NotFound):
        institutions.id_named(session, "不存在的机构")
