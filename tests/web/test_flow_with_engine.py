"""A consultation through the real engine and diagrams, via the JSON API."""
from pathlib import Path

import pytest

PROCESSES = Path(__file__).resolve().parents[2] / "processes"

QUESTION = {"title": "工资被拖欠", "question": "公司三个月没发工资，怎么办？", "category": "labor",
            "case_status": "none", "vulnerable": False, "contact_phone": "13912345678",
            "district": "朝阳区"}


@pytest.fixture
def deployed(app, runner):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    result = runner.invoke(args=["deploy", str(PROCESSES)])
    assert result.exit_code == 0, result.output
    return app


def _headers(client, username, password):
    token = client.post("/api/v1/auth/token", json={"username": username,
                                                    "password": password}).json["token"]
    return {"Authorization": f"Bearer {token}"}


def test_citizen_asks_lawyer_answers_citizen_reads(deployed, client):
    citizen = _headers(client, "citizen_zhang", "demo-citizen-pass")
    created = client.post("/api/v1/consultations", json=QUESTION, headers=citizen)
    assert created.status_code == 201, created.json
    cid = created.json["id"]
    answer_task = None
    for lawyer in ("lawyer_wang", "lawyer_zhao", "lawyer_li"):
        headers = _headers(client, lawyer, "demo-lawyer-pass")
        tasks = client.get("/api/v1/tasks", headers=headers).json
        answer_task = next((t for t in tasks if t["key"] == "answer_consultation"
                            and t["consultation_id"] == cid), None)
        if answer_task:
            break
    assert answer_task, "no lawyer got the answer task"
    detail = client.get(f"/api/v1/tasks/{answer_task['id']}", headers=headers).json
    assert "13912345678" not in str(detail["context"])
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
    other = _headers(client, "citizen_ma", "demo-citizen-pass")
    assert client.get(f"/api/v1/consultations/{cid}", headers=other).status_code == 404
