"""The access policy: the table names known roles, standing takes everything away but one's
own record, and the web asks the same table rather than keeping role lists of its own."""
import re
from pathlib import Path

import pytest

from engine import access
from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import ACTIVE, DISABLED, DISQUALIFIED
from engine.people.roles import ROLES

WEB = Path(__file__).resolve().parents[2] / "web"


def test_every_capability_names_known_roles():
    for name, capability in access.POLICY.items():
        assert capability.roles and capability.roles <= set(ROLES), name


@pytest.mark.parametrize("status", [DISQUALIFIED, DISABLED])
def test_out_of_standing_keeps_only_its_own_record(status):
    for role in ROLES:
        actor = Actor(id=1, role=role, status=status)
        held = {name for name in access.POLICY if access.can(actor, name)}
        assert held <= {"read_own_record", "read_own_answers"}, (role, held)
    lawyer = Actor(id=1, role="lawyer", status=status)
    assert access.can(lawyer, "read_own_record")
    with pytest.raises(NotAllowed) as err:
        access.require(lawyer, "work_tasks")
    assert "取消资格" in err.value.message


def test_roles_hold_what_the_table_says():
    duty, citizen = Actor(1, "duty_officer", status=ACTIVE), Actor(2, "citizen")
    assert access.can(duty, "reassign") and not access.can(citizen, "reassign")
    with pytest.raises(NotAllowed, match="只有值班人员可以改派任务"):
        access.require(citizen, "reassign")
    assert all(access.can(Actor.system(), name) for name in access.POLICY)
    assert not access.can(None, "work_tasks")


def test_web_views_and_templates_ask_the_policy_not_role_lists():
    views = "\n".join(p.read_text() for p in WEB.rglob("*.py"))
    assert "roles_required" not in views
    templates = "\n".join(p.read_text() for p in (WEB / "templates").rglob("*.html"))
    gated = re.findall(r"{% (?:el)?if [^%]*role (?:in|==) [^%]*%}\s*<a href", templates)
    assert gated == []  # links appear by capability: {% if can('...') %}
