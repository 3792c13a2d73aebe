"""Before deploying, the modeler shows what changes against the running version."""
from sqlalchemy import func, select

from engine.models import ProcessVersion
from tests.drivers import files_of
from tests.factories import api
from web.extensions import db


def count_versions(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProcessVersion))


def test_preview_lists_the_changed_elements_and_stores_nothing(app, client, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = files_of(v1.id)
    before = count_versions(app)
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(
        '"PT5H"</bpmn:timeDuration>', '"PT6H"</bpmn:timeDuration>').replace(
        'name="5小时"', 'name="6小时"')
    response = api(client, "/designer/api/preview", {"files": files})
    assert response.status_code == 200, response.json
    found = {p["key"]: p for p in response.json["processes"]}
    consultation = found["consultation"]
    assert (consultation["status"], consultation["running"]) == ("changed", 1)
    assert consultation["url"] == f"/designer/versions/{v1.id}"
    changed = {e["id"]: e for d in consultation["diff"] for e in d["changed"]}
    assert changed["stage_overdue"]["name"] == "6小时"
    assert "event_definition" in changed["stage_overdue"]["changes"]
    assert not any(d["added"] or d["removed"] for d in consultation["diff"])
    assert found["expert_review_process"]["status"] == "unchanged"
    assert count_versions(app) == before


def test_preview_of_a_broken_bundle_names_the_problems(app, client, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = files_of(v1.id)
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(
        '<bpmn:userTask id="answer_consultation"',
        '<bpmn:userTask id="answer_consultation" camunda:asyncBefore="true"')
    response = api(client, "/designer/api/preview", {"files": files})
    assert response.status_code == 422
    [problem] = response.json["problems"]
    assert problem["element"] == "answer_consultation"
    assert "camunda:asyncBefore" in problem["reason"]
