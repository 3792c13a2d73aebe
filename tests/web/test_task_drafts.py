"""The task page's autosave: a draft per instance, task and person, restored after a reload,
a conflict or a migration, and gone once the task is done."""
import re

from engine.models import TaskDraft
from engine.workflow import versions
from tests.factories import api, consultation_v2, instance_of
from web.extensions import db

JSON = {"Accept": "application/json"}
TYPED = {"decision": "answer", "answer_text": "可以向劳动争议仲裁委员会申请仲裁。",
         "sensitive": True}


def _login(auth, username, password="demo-lawyer-pass"):
    assert auth.login(username, password).status_code == 302


def _answering(demo, auth):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    _login(auth, lawyer)
    return cid, lawyer, demo.task(lawyer, "answer_consultation", cid)


def test_a_saved_draft_comes_back_with_its_time(client, auth, demo):
    _, _, task = _answering(demo, auth)
    assert client.get(f"/tasks/{task.id}/draft", headers=JSON).json == {}
    saved = client.put(f"/tasks/{task.id}/draft", json={"data": TYPED}, headers=JSON)
    assert saved.status_code == 200 and saved.json["data"] == TYPED
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", saved.json["saved_at"])
    assert client.get(f"/tasks/{task.id}/draft", headers=JSON).json["data"] == TYPED
    page = client.get(f"/tasks/{task.id}")  # a reload
    assert "已恢复您在" in page.text and "自动保存的输入" in page.text
    assert "可以向劳动争议仲裁委员会申请仲裁。</textarea>" in page.text
    assert re.search(r'<option value="answer"\s+selected', page.text)


def test_a_conflict_keeps_the_typed_answer(client, auth, demo):
    _, _, task = _answering(demo, auth)
    client.put(f"/tasks/{task.id}/draft", json={"data": TYPED}, headers=JSON)
    stale = client.post(f"/tasks/{task.id}/complete", data={**TYPED, "revision": "0"})
    assert stale.status_code == 409 and "提交前的输入已自动保存" in stale.text
    assert f'href="/tasks/{task.id}"' in stale.text
    page = client.get(f"/tasks/{task.id}")
    assert "可以向劳动争议仲裁委员会申请仲裁。</textarea>" in page.text


def test_completing_the_task_discards_the_draft(app, client, auth, demo):
    _, _, task = _answering(demo, auth)
    client.put(f"/tasks/{task.id}/draft", json={"data": TYPED}, headers=JSON)
    done = client.post(f"/tasks/{task.id}/complete", data={"decision": "answer",
                                                            "answer_text": "可申请仲裁。"})
    assert done.status_code == 303
    with app.app_context():
        assert db.session.query(TaskDraft).count() == 0
    assert client.put(f"/tasks/{task.id}/draft", json={"data": TYPED},
                      headers=JSON).status_code == 403


def test_only_who_may_act_saves_or_reads_a_draft(client, auth, demo):
    _, lawyer, task = _answering(demo, auth)
    client.put(f"/tasks/{task.id}/draft", json={"data": TYPED}, headers=JSON)
    auth.logout()
    other = "lawyer_wang" if lawyer != "lawyer_wang" else "lawyer_li"
    _login(auth, other)
    assert client.put(f"/tasks/{task.id}/draft", json={"data": {"answer_text": "x"}},
                      headers=JSON).status_code in (403, 404)
    assert client.get(f"/tasks/{task.id}/draft", headers=JSON).status_code in (200, 404)
    assert "可以向劳动争议" not in client.get(f"/tasks/{task.id}/draft", headers=JSON).text


def test_a_bad_draft_is_refused_naming_the_field(client, auth, demo):
    _, _, task = _answering(demo, auth)
    response = client.put(f"/tasks/{task.id}/draft", json={"data": "text"}, headers=JSON)
    assert response.status_code == 422 and "data" in response.json["fields"]
    huge = {"answer_text": "长" * 20001}
    response = client.put(f"/tasks/{task.id}/draft", json={"data": huge}, headers=JSON)
    assert response.status_code == 422 and "data" in response.json["fields"]


def test_the_draft_survives_a_migration_of_the_instance(app, client, auth, demo, make_user):
    cid, lawyer, task = _answering(demo, auth)
    opened = client.get(f"/tasks/{task.id}").text  # the lawyer starts typing on this page
    revision = re.search(r'name="revision" value="(\d+)"', opened).group(1)
    client.put(f"/tasks/{task.id}/draft", json={"data": TYPED}, headers=JSON)
    auth.logout()
    with app.app_context():
        row = versions.latest_version(db.session, "consultation")
        files = dict(row.files)
        files["consultation.bpmn"] = consultation_v2(files["consultation.bpmn"])
        [v2] = [i for i in versions.deploy(db.session, files, reason="质量抽查")
                if i.key == "consultation"]
        v1_id, instance = row.id, instance_of(db.session, cid)
    make_user("admin_user", "admin")
    auth.login("admin_user")
    moved = api(client, "/admin/api/migrate", {"from_id": v1_id, "to_id": v2.id,
                                               "instance_ids": [instance],
                                               "reason": "增加质量抽查"})
    assert moved.status_code == 200, moved.json
    moved = moved.json["reports"]
    assert [r["migrated"] for r in moved] == [True]
    assert "answer_consultation" in [t["bpmn_id"] for t in moved[0]["reset_tasks"]]
    auth.logout()
    _login(auth, lawyer)
    sent = client.post(f"/tasks/{task.id}/complete", data={**TYPED, "revision": revision})
    assert sent.status_code == 409  # the instance moved under the open page
    after = demo.task(lawyer, "answer_consultation", cid)
    page = client.get(f"/tasks/{after.id}")
    assert page.status_code == 200 and "已恢复您在" in page.text
    assert "可以向劳动争议仲裁委员会申请仲裁。</textarea>" in page.text


def test_without_javascript_every_field_is_on_the_page(client, auth, demo):
    _, _, task = _answering(demo, auth)
    page = client.get(f"/tasks/{task.id}").text
    for name in ("decision", "answer_text", "refuse_reason", "delegate_to", "keep_flagged"):
        assert f'name="{name}"' in page
    assert " hidden" not in page.split('class="card task-form"')[1].split("</form>")[0]
    assert 'data-shown-when="decision" data-shown-values="answer expert_review"' in page
    assert 'data-shown-when="decision" data-shown-values="refuse"' in page
    assert "/static/task_form.js" in page and "<script>" not in page
