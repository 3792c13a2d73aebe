"""Account administration: disable, enable, reset password, and the sessions they end."""
from datetime import timedelta

import pytest

from engine.actor import Actor
from engine.errors import InvalidInput, NotAllowed
from engine.models import AuditEvent, LawyerWarning, User
from engine.people import sessions, users

HOUR = timedelta(hours=1)


def test_disable_ends_every_session_and_enable_does_not_revive_them(session, people):
    lawyer = people["lawyer"].id
    web = sessions.open_session(session, lawyer, "web", HOUR)
    api = sessions.open_session(session, lawyer, "api", HOUR)
    assert sessions.user_of(session, web).id == lawyer
    users.disable(session, people["admin"], lawyer)
    assert sessions.user_of(session, web) is None and sessions.account_of(session, api) is None
    users.enable(session, people["admin"], lawyer)
    assert session.get(User, lawyer).status == "active"
    assert sessions.account_of(session, api) is None
    actions = [a for (a,) in session.query(AuditEvent.action).order_by(AuditEvent.id)]
    assert actions == ["user_disabled", "user_enabled"]


def test_enable_keeps_a_disqualified_lawyer_disqualified(session, people):
    lawyer = people["lawyer"].id
    session.add(LawyerWarning(lawyer_id=lawyer, kind="disqualify", reason="屡次超时",
                              by=people["admin"].id))
    session.get(User, lawyer).status = "disqualified"
    session.commit()
    users.disable(session, people["admin"], lawyer)
    assert users.enable(session, people["admin"], lawyer).status == "disqualified"


def test_only_administrators_manage_accounts(session, people):
    for role in ("lawyer", "duty_officer", "citizen"):
        with pytest.raises(NotAllowed):
            users.disable(session, people[role], people["citizen"].id)
    with pytest.raises(InvalidInput):
        users.disable(session, people["admin"], people["admin"].id)  # no self-lockout
    assert users.disable(session, Actor.system(), people["citizen"].id).status == "disabled"


def test_reset_password_generates_one_and_ends_sessions(session, people):
    citizen = people["citizen"].id
    sid = sessions.open_session(session, citizen, "web", HOUR)
    password = users.reset_password(session, people["admin"], citizen)
    assert len(password) >= 12 and sessions.user_of(session, sid) is None
    assert users.log_in(session, "citizen", password, "api", HOUR) is not None
    with pytest.raises(InvalidInput) as error:
        users.reset_password(session, people["admin"], citizen, "short")
    assert "password" in error.value.fields


def test_close_session_ends_only_that_one(session, people):
    citizen = people["citizen"].id
    one = sessions.open_session(session, citizen, "web", HOUR)
    two = sessions.open_session(session, citizen, "api", HOUR)
    sessions.close_session(session, one)
    assert sessions.user_of(session, one) is None
    assert sessions.account_of(session, two)[0].id == citizen
