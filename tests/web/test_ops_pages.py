"""Incidents for administrators: the list with the error, and retry."""
from sqlalchemy import select

from engine.models import ProcessInstance
from web.extensions import db

pytest_plugins = ["tests.web.oversight_fixtures"]


def _incident(play) -> ProcessInstance:
    cid = play.submit()
    row = db.session.scalar(select(ProcessInstance).where(
        ProcessInstance.business_key == str(cid)))
    row.status, row.error, row.failures = "incident", "ZeroDivisionError: 脚本出错", 5
    db.session.commit()
    return row


def test_admin_sees_incidents_and_retries(client, login, play):
    row = _incident(play)
    login("admin")
    html = client.get("/ops/incidents").get_data(as_text=True)
    assert "ZeroDivisionError: 脚本出错" in html and f"/ops/incidents/{row.id}/retry" in html
    response = client.post(f"/ops/incidents/{row.id}/retry")
    assert response.status_code == 303
    db.session.expire_all()
    again = db.session.get(ProcessInstance, row.id)
    assert (again.status, again.failures, again.error) == ("running", 0, None)
    assert again.next_timer_at is not None
    assert "ZeroDivisionError" not in client.get("/ops/incidents").get_data(as_text=True)
    assert client.post(f"/ops/incidents/{row.id}/retry").status_code == 409  # not an incident


def test_only_admins_retry(client, login, play):
    row = _incident(play)
    for who in ("supervisor", "duty1", "wang"):
        login(who)
        assert client.post(f"/ops/incidents/{row.id}/retry").status_code == 403
    db.session.expire_all()
    assert db.session.get(ProcessInstance, row.id).status == "incident"
