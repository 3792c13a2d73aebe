"""Bad input never makes a 500: wrong types, huge strings, unknown fields, bad ids."""
import pytest

from tests.factories import QUESTION


@pytest.fixture
def open_task(demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    return lawyer, demo.task(lawyer, "answer_consultation", cid).id


BAD_BODIES = [
    "[]", "null", "42", '"text"', "{", '{"data": "not an object"}', '{"data": []}',
    '{"data": {"decision": ["answer"]}}', '{"data": {"decision": {"$ne": 1}}}',
    '{"data": {"decision": "answer", "answer_text": 12}}',
    '{"data": {"decision": "answer", "answer_text": "ok"}, "revision": "abc"}',
    '{"data": {"decision": "delegate", "delegate_to": "abc"}}',
    '{"data": {"decision": "delegate", "delegate_to": 99999999999999999999999}}',
    '{"data": {"decision": "answer", "answer_text": "' + "长" * 6000 + '"}}',
    '{"data": {"decision": "answer", "answer_text": "a\\u0000b"}}',
    '{"data": {"decision": "answer", "answer_text": "ok", "lawyer_id": 1}}',
    '{"data": {"sensitive": "maybe"}}',
]


@pytest.mark.parametrize("body", BAD_BODIES, ids=range(len(BAD_BODIES)))
def test_task_completion_rejects_bad_bodies(client, api_headers, open_task, body):
    lawyer, task_id = open_task
    response = client.post(f"/api/v1/tasks/{task_id}/complete", data=body,
                           headers={**api_headers(lawyer), "Content-Type": "application/json"})
    assert response.status_code in (400, 422), response.json
    assert set(response.json) <= {"error", "message", "fields"} and response.json["message"]


BAD_QUESTIONS = [
    {}, {"title": None}, {"title": 5, "question": [], "category": {}},
    {**QUESTION, "category": "no-such-category"}, {**QUESTION, "title": "题" * 100_000},
    {**QUESTION, "title": "a\x00b"}, {**QUESTION, "is_admin": True},
    {**QUESTION, "vulnerable": "perhaps"},
]


@pytest.mark.parametrize("body", BAD_QUESTIONS, ids=range(len(BAD_QUESTIONS)))
def test_submission_rejects_bad_questions(client, api_headers, demo, body):
    response = client.post("/api/v1/consultations", json=body,
                           headers=api_headers("citizen_zhang"))
    assert response.status_code in (413, 422), response.json
    assert response.json["error"] in ("invalid", "too_large")


@pytest.mark.parametrize("path", [
    "/api/v1/consultations/99999999999999999999999", "/api/v1/consultations/-1",
    "/api/v1/consultations/abc", "/api/v1/consultations/0", "/api/v1/tasks/" + "x" * 5000,
    "/api/v1/tasks/%00",
    "/api/v1/tasks/' OR 1=1 --", "/consultations/99999999999999999999999",
    "/tasks/" + "x" * 5000,
])
def test_bad_ids_are_404(client, api_headers, auth, demo, path):
    auth.login("duty_sun", "demo-duty-officer-pass")
    response = client.get(path, headers=api_headers("duty_sun"))
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["limit=abc", "limit=-5", "limit=100000", "status=" + "s" * 500])
def test_bad_list_arguments_are_422(client, api_headers, demo, query):
    response = client.get(f"/api/v1/consultations?{query}", headers=api_headers("citizen_zhang"))
    assert response.status_code == 422 and response.json["error"] == "invalid"


def test_token_request_with_wrong_types_is_422(client):
    response = client.post("/api/v1/auth/token", json={"username": ["a"], "password": 1})
    assert response.status_code == 422 and set(response.json["fields"]) == {"username",
                                                                            "password"}


def test_html_forms_with_junk_are_not_500(client, auth, demo, open_task):
    lawyer, task_id = open_task
    auth.login(lawyer, "demo-lawyer-pass")
    for data in ({"decision": "x" * 100_000}, {"delegate_to": "abc", "decision": "delegate"},
                 {"revision": "abc", "decision": "answer", "answer_text": "ok\x00"}):
        response = client.post(f"/tasks/{task_id}/complete", data=data)
        assert response.status_code in (409, 422), response.status_code


def test_megabyte_bodies_are_413_in_the_error_shape(client, api_headers, demo):
    response = client.post("/api/v1/consultations", json={**QUESTION, "question": "问" * 600_000},
                           headers=api_headers("citizen_zhang"))
    assert response.status_code == 413 and response.json["error"] == "too_large"
