"""The start form through the API: described as a task's form, and the rules POST obeys."""
import shutil

import pytest

from tests.drivers import Demo
from tests.factories import PROCESSES, QUESTION

START = '<camunda:formData><camunda:formField id="title" label="标题" type="string">'
AGE = ('<camunda:formField id="age" label="年龄" type="long"><camunda:validation>'
       '<camunda:constraint name="required" /><camunda:constraint name="min" config="1" />'
       '</camunda:validation></camunda:formField>')


@pytest.fixture
def changed_demo(app, tmp_path):
    """The demo world on a copy of processes/ whose start form asks for the citizen's age
    (required) and allows titles of at most 10 characters instead of 200."""
    copy = shutil.copytree(PROCESSES, tmp_path / "processes")
    path = copy / "consultation.bpmn"
    text = path.read_text(encoding="utf-8")
    assert text.count(START) == 1
    title_rules = '<camunda:constraint name="maxlength" config="200" />'
    text = text.replace(START, START.replace("<camunda:formData>", "<camunda:formData>" + AGE))
    text = text.replace(title_rules, title_rules.replace("200", "10"), 1)
    path.write_text(text, encoding="utf-8")
    return Demo(app, copy)


def _start_form(client, headers) -> dict:
    response = client.get("/api/v1/processes/consultation/start-form", headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_the_start_form_is_described_as_a_tasks_form_is(client, api_headers, demo):
    form = _start_form(client, api_headers("citizen_zhang"))
    fields = {f["id"]: f for f in form["fields"]}
    assert form["key"] == "consultation" and form["version"] == 1
    assert list(fields) == ["title", "question", "category", "case_status", "vulnerable",
                            "contact_phone", "district"]
    assert (fields["title"]["required"], fields["title"]["maxlength"]) == (True, 200)
    assert {"required": True, "minlength": 5, "maxlength": 20}.items() <= fields[
        "contact_phone"].items()
    assert {"id": "labor", "name": "劳动争议"} in fields["category"]["options"]
    assert fields["question"]["multiline"] is True
    # A task's form fields carry exactly the same keys.
    lawyer = api_headers(demo.lawyer_of(demo.submit()))
    [task] = client.get("/api/v1/tasks", headers=lawyer).json
    task_field = client.get(f"/api/v1/tasks/{task['id']}", headers=lawyer).json["form"][
        "fields"][0]
    assert set(task_field) == set(fields["title"])


def test_posting_a_consultation_follows_the_diagrams_rules(client, api_headers, demo):
    citizen = api_headers("citizen_zhang")
    no_phone = {k: v for k, v in QUESTION.items() if k != "contact_phone"}
    response = client.post("/api/v1/consultations", headers=citizen,
                           json={**no_phone, "title": "长" * 201, "category": "astrology"})
    assert response.status_code == 422
    assert set(response.json["fields"]) == {"title", "category", "contact_phone"}
    short_phone = client.post("/api/v1/consultations", headers=citizen,
                              json={**QUESTION, "contact_phone": "1234"})
    assert short_phone.status_code == 422 and list(short_phone.json["fields"]) == [
        "contact_phone"]
    assert client.post("/api/v1/consultations", headers=citizen,
                       json=QUESTION).status_code == 201


def test_the_api_follows_a_changed_start_form(client, api_headers, changed_demo):
    citizen = api_headers("citizen_zhang")
    fields = {f["id"]: f for f in _start_form(client, citizen)["fields"]}
    assert {"type": "long", "required": True, "min": 1}.items() <= fields["age"].items()
    assert fields["title"]["maxlength"] == 10
    refused = client.post("/api/v1/consultations", headers=citizen,
                          json={**QUESTION, "title": "公司拖欠加班费如何维权"})  # 11 characters
    assert refused.status_code == 422
    assert set(refused.json["fields"]) == {"age", "title"}
    assert refused.json["fields"]["title"] == ["最多 10 个字符"]
    created = client.post("/api/v1/consultations", headers=citizen,
                          json={**QUESTION, "age": 67})
    assert created.status_code == 201


def test_an_unknown_process_has_no_start_form(client, api_headers, demo):
    response = client.get("/api/v1/processes/no_such_process/start-form",
                          headers=api_headers("citizen_zhang"))
    assert response.status_code == 404 and response.json["message"]


def test_the_openapi_document_describes_the_start_form(client):
    spec = client.get("/api/v1/openapi.json").json
    ok = spec["paths"]["/api/v1/processes/{key}/start-form"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    assert {"key", "version", "fields"} <= set(schema["properties"])


def test_the_submit_page_follows_the_changed_start_form(client, auth, changed_demo):
    assert auth.login("citizen_zhang", "demo-citizen-pass").status_code == 302
    page = client.get("/consultations/new").text
    assert 'name="age"' in page and "年龄" in page
    assert 'name="title" id="f-title"' in page and 'maxlength="10"' in page
    form = {**QUESTION, "district": "", "title": "公司拖欠加班费如何维权"}
    refused = client.post("/consultations/new", data=form)
    assert refused.status_code == 422
    assert "必须填写此项" in refused.text and "最多 10 个字符" in refused.text
    done = client.post("/consultations/new", data={**form, "title": "加班费", "age": "67"})
    assert done.status_code == 303
