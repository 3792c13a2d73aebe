"""Incidents for administrators (the list with the error, and retry); the reassignment queue,
whose picker offers exactly the people the engine accepts."""
import re

import pytest
from sqlalchemy import select, update

from engine.models import HumanTask, ProcessInstance
from engine.oversight import supervision
from engine.people import institutions
from engine.workflow import tasks
from web.extensions import db

# Every test: processes/ deployed, and an app context (the tests use db.session).
pytestmark = pytest.mark.usefixtures("deployed", "app_context")


def _incident(play) -> ProcessInstance:
    cid = play.submit()
    row = db.session.scalar(select(ProcessInstance).where(
        ProcessInstance.business_key == str(cid)))
    db.session.execute(update(ProcessInstance).where(ProcessInstance.id == row.id).values(
        status="incident", error="ZeroDivisionError: 脚本出错", failures=5,
        revision=ProcessInstance.revision + 1))
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


def _options(page: str, task_id: str) -> list[int]:
    """The user ids the picker of one queued task offers."""
    select_start = page.index(f'id="who-{task_id}"')
    block = page[select_start:page.index("</select>", select_start)]
    return [int(v) for v in re.findall(r'<option value="(\d+)">', block)]


def test_the_reassignment_picker_offers_exactly_whom_the_engine_accepts(client, login, play,
                                                                        world):
    cid = play.submit()
    holder = play.holder(cid)
    supervision.disqualify(db.session, world["supervisor"], world.id(holder), "招揽线下业务")
    task = play.task(cid)
    login("duty1")
    offered = _options(client.get("/ops/reassign").get_data(as_text=True), task.id)
    assert offered and world.id(holder) not in offered
    for name, user_id in world.users.items():
        if user_id in offered:
            continue
        refused = client.post(f"/ops/reassign/{task.id}", data={"new_user_id": user_id})
        assert refused.status_code == 422, name
        assert f'id="who-{task.id}-error"' in refused.get_data(as_text=True)
    assert client.post(f"/ops/reassign/{task.id}",
                       data={"new_user_id": offered[0]}).status_code == 303
    db.session.expire_all()
    assert db.session.get(HumanTask, task.id).assignee_id == offered[0]
    # The task is held again: its id is no longer reassignable.
    again = client.post(f"/ops/reassign/{task.id}", data={"new_user_id": offered[-1]})
    assert again.status_code == 403


def test_a_task_nobody_may_take_over_says_so_instead_of_an_empty_picker(client, login, play,
                                                                          world):
    cid = play.submit()
    assert play.holder(cid) == "wang"
    tasks.complete(db.session, play.task(cid).id, world["wang"],  # his colleague drafts
                   {"decision": "delegate", "delegate_to": world.id("chen")})
    institutions.end_residency(db.session, world["admin"], world.institutions["east"], "期满")
    draft = play.task(cid, "draft_answer")
    login("duty1")
    page = client.get("/ops/reassign").get_data(as_text=True)
    assert f'id="nobody-{draft.id}"' in page and "目前没有符合改派条件的人员" in page
    assert f'id="who-{draft.id}"' not in page  # no picker with nothing to pick
