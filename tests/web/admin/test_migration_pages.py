"""The admin migration page and its JSON endpoints, on the real consultation diagram v1 -> v2."""
import json
import re

import pytest
from sqlalchemy import select

from engine.models import AuditEvent, ProcessInstance
from tests.factories import OTHER_ROLES, api
from web.extensions import db


def version_number(app, instance_id: int) -> int:
    with app.app_context():
        return db.session.get(ProcessInstance, instance_id).version.number


def page_url(v1, v2) -> str:
    return f"/admin/migrations?key=consultation&from={v1.number}&to={v2.number}"


def test_the_page_shows_the_diff_and_where_instances_wait(client, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    page = client.get(page_url(v1, v2))
    assert page.status_code == 200
    assert 'class="fw-diff-added" data-element="quality_check"' in page.text
    assert 'class="fw-diff-changed" data-element="answer_consultation"' in page.text
    assert "answer_consultation" in page.text and "migration.js" in page.text
    for instance_id in ids:
        assert f'name="instance" value="{instance_id}"' in page.text
        assert f"/designer/instances/{instance_id}" in page.text
    config = json.loads(re.search(r'id="fw-config">(.*?)</script>', page.text).group(1))
    assert (config["from_id"], config["to_id"]) == (v1.id, v2.id)
    [drawn] = config["diagrams"]  # the answer stage is a subprocess drawn in the same file
    assert (drawn["old_file"], drawn["new_file"]) == ("consultation.bpmn", "consultation.bpmn")
    assert drawn["added"] == ["quality_check"] and drawn["removed"] == []
    assert "answer_consultation" in drawn["changed"]
    assert "gw_held" in drawn["changed"]


def test_one_version_only_asks_for_a_pair(client, login_as, deployed):
    login_as("admin")
    page = client.get("/admin/migrations")
    assert page.status_code == 200 and "migration.js" not in page.text


@pytest.mark.parametrize("role", [*OTHER_ROLES, "designer"])
def test_only_admins_migrate(client, login_as, waiting, role):
    v1, v2, ids = waiting
    login_as(role)
    assert client.get(page_url(v1, v2)).status_code == 403
    body = {"from_id": v1.id, "to_id": v2.id, "instance_ids": ids, "reason": "x"}
    for url in ("/admin/api/dry-run", "/admin/api/migrate",
                f"/admin/api/instances/{ids[0]}/rollback"):
        assert api(client, url, body).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, waiting):
    v1, v2, _ = waiting
    response = client.get(page_url(v1, v2))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_dry_run_one_and_all(client, app, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    body = {"from_id": v1.id, "to_id": v2.id}
    everyone = api(client, "/admin/api/dry-run", body).json["reports"]
    assert sorted(r["instance_id"] for r in everyone) == sorted(ids)
    assert all(r["can_migrate"] and not r["migrated"] for r in everyone)
    assert all("answer_consultation" in [t["bpmn_id"] for t in r["reset_tasks"]]
               for r in everyone)
    [one] = api(client, "/admin/api/dry-run", {**body, "instance_ids": [ids[0]]}).json["reports"]
    assert one["instance_id"] == ids[0]
    assert version_number(app, ids[0]) == 1


def test_migrate_needs_a_reason_then_moves_the_batch(client, app, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    body = {"from_id": v1.id, "to_id": v2.id, "instance_ids": ids}
    refused = api(client, "/admin/api/migrate", body)
    assert refused.status_code == 422 and "reason" in refused.json["fields"]
    assert api(client, "/admin/api/migrate", {**body, "instance_ids": []}).status_code == 422
    reports = api(client, "/admin/api/migrate", {**body, "reason": "增加质量抽查"}).json["reports"]
    assert [r["migrated"] for r in reports] == [True, True]
    assert [version_number(app, i) for i in ids] == [2, 2]
    again = api(client, "/admin/api/migrate", {**body, "reason": "再来"}).json["reports"]
    assert not any(r["migrated"] for r in again) and "不在版本" in again[0]["reason"]
    with app.app_context():
        reasons = db.session.scalars(select(AuditEvent.data).where(
            AuditEvent.action == "migrate")).all()
    assert [d["reason"] for d in reasons] == ["增加质量抽查"] * 2


def test_roll_back_through_the_json_endpoint(client, app, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    api(client, "/admin/api/migrate", {"from_id": v1.id, "to_id": v2.id,
                                       "instance_ids": [ids[0]], "reason": "试迁移"})
    url = f"/admin/api/instances/{ids[0]}/rollback"
    assert api(client, url, {"reason": " "}).status_code == 422
    response = api(client, url, {"reason": "撤回"})
    assert response.status_code == 200 and response.json["report"]["instance_id"] == ids[0]
    assert version_number(app, ids[0]) == 1
    assert api(client, url, {"reason": "再撤回"}).status_code == 404


def test_history_survives_a_reload_with_its_rollback_links(client, app, login_as, waiting):
    v1, v2, ids = waiting
    login_as("admin")
    empty = client.get("/admin/migrations?key=consultation").text
    assert "还没有迁移过" in empty
    api(client, "/admin/api/migrate", {"from_id": v1.id, "to_id": v2.id, "instance_ids": ids,
                                       "reason": "增加质量抽查"})
    page = client.get("/admin/migrations?key=consultation").text  # a fresh load
    history = page.split('id="history"')[1]
    assert history.count("增加质量抽查") == 2 and history.count("迁移到新版本") == 2
    assert "v1 → v2" in history
    for i in ids:
        assert f'action="/admin/instances/{i}/rollback"' in history
    back = client.post(f"/admin/instances/{ids[0]}/rollback",
                       data={"reason": "抽查结束", "back_to_key": "consultation"})
    assert back.status_code == 302 and "/admin/migrations?key=consultation" in back.location
    assert version_number(app, ids[0]) == 1
    history = client.get("/admin/migrations?key=consultation").text.split('id="history"')[1]
    assert "回退迁移" in history and "抽查结束" in history and "v2 → v1" in history
    assert f'action="/admin/instances/{ids[0]}/rollback"' not in history  # used up
    assert f'action="/admin/instances/{ids[1]}/rollback"' in history
