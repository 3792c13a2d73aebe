"""The designer section: versions, viewers, the modeler, validate, deploy, drafts, download."""
import io
import zipfile

import pytest

from engine.workflow import drafts
from tests.drivers import files_of
from tests.factories import OTHER_ROLES, api
from web.extensions import db

PAGES = ["/designer/", "/designer/versions/{v}", "/designer/versions/{v}/download"]


def broken(files: dict) -> dict:
    """The lawyer's lane renamed to a role that does not exist."""
    text = files["consultation.bpmn"].replace('name="驻场律师"', 'name="律师助理"', 1)
    return {**files, "consultation.bpmn": text}


@pytest.mark.parametrize("role", ["designer", "admin"])
def test_designers_and_admins_see_versions_and_diagrams(client, login_as, deployed, role):
    v1 = deployed["consultation"]
    login_as(role)
    index = client.get("/designer/")
    assert index.status_code == 200
    assert "consultation" in index.text and f"/designer/versions/{v1.id}" in index.text
    page = client.get(f"/designer/versions/{v1.id}")
    assert page.status_code == 200
    assert "bpmn-viewer.js" in page.text and "dmn-viewer.js" in page.text
    assert "screening.dmn" in page.text and "fw-files" in page.text
    edit_link = f"/designer/versions/{v1.id}/edit"
    assert (edit_link in page.text) == (role == "designer")


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused(client, login_as, deployed, role):
    v1 = deployed["consultation"]
    login_as(role)
    for page in [*PAGES, "/designer/versions/{v}/edit"]:
        assert client.get(page.format(v=v1.id)).status_code == 403, page
    assert api(client, "/designer/api/validate", {"files": {}}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client, deployed):
    v1 = deployed["consultation"]
    for page in [*PAGES, "/designer/versions/{v}/edit"]:
        response = client.get(page.format(v=v1.id))
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_admins_view_but_do_not_edit(client, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("admin")
    assert client.get(f"/designer/versions/{v1.id}/edit").status_code == 403
    assert api(client, "/designer/api/deploy", {"files": {}, "reason": "x"}).status_code == 403


def test_modeler_page_carries_the_files_and_the_properties_panel(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    page = client.get(f"/designer/versions/{v1.id}/edit")
    assert page.status_code == 200
    for asset in ("bpmn-modeler.js", "bpmn-js-properties-panel.umd.js", "properties-panel.css",
                  "dmn-modeler.js", "designer/modeler.js"):
        assert asset in page.text
    assert '"main_file": "consultation.bpmn"' in page.text
    assert "camunda-bpmn-moddle/camunda.json" in page.text
    assert client.get("/static/vendor/camunda-bpmn-moddle/camunda.json").status_code == 200


def test_validate_a_broken_bundle_names_the_element(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = files_of(v1.id)
    good = api(client, "/designer/api/validate", {"files": files})
    assert good.status_code == 200 and good.json == {"ok": True, "problems": []}
    bad = api(client, "/designer/api/validate", {"files": broken(files)}).json
    assert bad["ok"] is False
    elements = {p["element"] for p in bad["problems"] if p["file"] == "consultation.bpmn"}
    assert "answer_consultation" in elements
    assert any("not a known role" in p["reason"] for p in bad["problems"])


def test_deploy_creates_version_2_and_lists_it(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = files_of(v1.id)
    files["consultation.bpmn"] = files["consultation.bpmn"].replace(
        'name="解答咨询"', 'name="解答咨询（5小时内）"', 1)
    assert api(client, "/designer/api/deploy", {"files": files}).status_code == 422
    response = api(client, "/designer/api/deploy", {"files": files, "reason": "改名"})
    assert response.status_code == 200
    deployed_now = {v["key"]: (v["number"], v["created"]) for v in response.json["versions"]}
    assert deployed_now["consultation"] == (2, True)
    assert deployed_now["expert_review_process"] == (1, False)
    assert "v2" in client.get("/designer/").text


def test_deploy_of_a_broken_bundle_answers_the_problems(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = broken(files_of(v1.id))
    response = api(client, "/designer/api/deploy", {"files": files, "reason": "试"})
    assert response.status_code == 422 and response.json["error"] == "bundle_invalid"
    assert any(p["element"] == "answer_consultation" for p in response.json["problems"])
    assert "v2" not in client.get("/designer/").text


def test_download_zip_holds_the_versions_files(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    response = client.get(f"/designer/versions/{v1.id}/download")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert "consultation-v1.zip" in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = set(archive.namelist())
        with app.app_context():
            files = files_of(v1.id)
        assert names == set(files) >= {"consultation.bpmn", "expert_review.bpmn",
                                       "screening.dmn"}
        assert archive.read("consultation.bpmn").decode() == files["consultation.bpmn"]


def test_drafts_round_trip(client, app, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    with app.app_context():
        files = files_of(v1.id)
    saved = api(client, "/designer/api/drafts", {
        "key": "consultation", "files": files, "base_version_id": v1.id})
    assert saved.status_code == 200
    draft_id = saved.json["id"]
    files["consultation.bpmn"] = files["consultation.bpmn"].replace("解答咨询", "解答", 1)
    again = api(client, "/designer/api/drafts", {
        "key": "consultation", "files": files, "draft_id": draft_id})
    assert again.json["id"] == draft_id
    index = client.get("/designer/").text
    assert f"/designer/drafts/{draft_id}/edit" in index
    page = client.get(f"/designer/drafts/{draft_id}/edit")
    assert page.status_code == 200 and f'"draft_id": {draft_id}' in page.text
    with app.app_context():
        assert drafts.get(db.session, draft_id).files == files
    assert client.post(f"/designer/drafts/{draft_id}/discard").status_code == 302
    assert client.get(f"/designer/drafts/{draft_id}/edit").status_code == 404
    assert f"/designer/drafts/{draft_id}/edit" not in client.get("/designer/").text


def test_a_draft_needs_files(client, login_as, deployed):
    login_as("designer")
    response = api(client, "/designer/api/drafts", {"key": "consultation", "files": {}})
    assert response.status_code == 422 and "files" in response.json["fields"]


def test_the_pages_speak_english_on_request(client, login_as, deployed):
    v1 = deployed["consultation"]
    login_as("designer")
    client.post("/language", data={"lang": "en"})
    assert "Processes and versions" in client.get("/designer/").text
    modeler = client.get(f"/designer/versions/{v1.id}/edit").text
    assert "Deploy as a new version" in modeler and '"new": "new"' in modeler
