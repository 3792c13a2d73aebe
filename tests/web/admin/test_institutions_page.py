"""The administrators' institutions page: a residency ends (with a reason) or resumes, and
the members' open work goes to the duty officers at once."""
import re

from sqlalchemy import select

from engine.models import HumanTask
from engine.people.demo import DEMO_INSTITUTIONS
from web.extensions import db


def _row(page: str, name: str) -> str:
    return re.search(rf'<tr id="institution-\d+"[^>]*>\s*<td[^>]*>{name}</td>.*?</tr>',
                     page, re.S)[0]


def test_ending_a_residency_queues_its_members_work(app, client, auth, demo):
    cid = demo.submit(category="labor")
    lawyer = demo.lawyer_of(cid)
    name = DEMO_INSTITUTIONS[0] if lawyer == "lawyer_wang" else DEMO_INSTITUTIONS[1]
    auth.login("admin", "demo-admin-pass")
    page = client.get("/admin/institutions").text
    row = _row(page, name)
    assert "驻场中" in row and '<td data-label="成员手中的待办">1</td>' in row
    iid = int(re.search(r'id="institution-(\d+)"', row)[1])

    refused = client.post(f"/admin/institutions/{iid}/deactivate", data={"reason": "  "})
    assert refused.status_code == 422 and f'id="reason-{iid}-error"' in refused.text
    assert "请说明结束驻场的原因" in refused.text and "驻场中" in _row(refused.text, name)

    done = client.post(f"/admin/institutions/{iid}/deactivate", data={"reason": "驻场期满"},
                       follow_redirects=True)
    assert f"{name} 已结束驻场" in done.text
    row = _row(done.text, name)
    assert "已结束驻场" in row and '<td data-label="成员手中的待办">0</td>' in row
    with app.app_context():
        task = db.session.scalar(select(HumanTask).where(HumanTask.business_key == str(cid),
                                                         HumanTask.state == "ready"))
        assert (task.role, task.assignee_id) == ("duty_officer", None)  # to be reassigned

    resumed = client.post(f"/admin/institutions/{iid}/activate", follow_redirects=True)
    assert f"{name} 已恢复驻场" in resumed.text and "驻场中" in _row(resumed.text, name)


def test_the_page_is_for_administrators_and_english_too(client, auth, demo):
    auth.login("lawyer_wang", "demo-lawyer-pass")
    assert client.get("/admin/institutions").status_code == 403
    auth.logout()
    auth.login("admin", "demo-admin-pass")
    assert 'href="/admin/institutions"' in client.get("/admin/users").text
    client.post("/language", data={"lang": "en"})
    page = client.get("/admin/institutions").text
    assert "Resident institutions" in page and "End residency" in page
    assert "结束驻场" not in page
