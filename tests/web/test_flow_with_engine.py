"""A consultation through the real engine and diagrams, via the JSON API."""
import pytest

from tests.factories import PROCESSES, QUESTION


@pytest.fixture
def seeded_by_cli(app, runner):
    """The demo accounts and processes/, set up with the documented CLI commands."""
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["deploy", str(PROCESSES)])
    assert result.exit_code == 0, result.output
    return app


def test_citizen_asks_lawyer_answers_citizen_reads(seeded_by_cli, client, api_headers):
    citizen = api_headers("citizen_zhang", "demo-citizen-pass")
    created = client.post("/api/v1/consultations", json=QUESTION, headers=citizen)
    assert created.status_code == 201, created.json
    cid = created.json["id"]
    answer_task = None
    for lawyer in ("lawyer_wang", "lawyer_zhao", "lawyer_li"):
        headers = api_headers(lawyer, "demo-lawyer-pass")
        tasks = client.get("/api/v1/tasks", headers=headers).json
        answer_task = next((t for t in tasks if t["key"] == "answer_consultation"
                            and t["consultation_id"] == cid), None)
        if answer_task:
            break
    assert answer_task, "no lawyer got the answer task"
    detail = client.get(f"/api/v1/tasks/{answer_task['id']}", headers=headers).json
    assert QUESTION["contact_phone"] not in str(detail["context"])
    bad = client.post(f"/api/v1/tasks/{answer_task['id']}/complete", headers=headers,
                      json={"data": {"decision": "answer"}})
    assert bad.status_code == 422 and bad.json["fields"]
    done = client.post(f"/api/v1/tasks/{answer_task['id']}/complete", headers=headers,
                       json={"data": {"decision": "answer", "answer_text": "可申请劳动仲裁。"}})
    assert done.status_code == 200, done.json
    again = client.post(f"/api/v1/tasks/{answer_task['id']}/complete", headers=headers,
                        json={"data": {"decision": "answer", "answer_text": "再次提交"}})
    assert again.status_code in (404, 409)
    seen = client.get(f"/api/v1/consultations/{cid}", headers=citizen).json
    assert seen["answers"][0]["text"] == "可申请劳动仲裁。"
    other = api_headers("citizen_ma", "demo-citizen-pass")
    assert client.get(f"/api/v1/consultations/{cid}", headers=other).status_code == 404
