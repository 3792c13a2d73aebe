"""GET /api/v1/notifications (a page with the unread count) and marking them read."""
from sqlalchemy import select

from engine.actor import Actor
from engine.models import Notification, User
from engine.oversight import supervision
from tests import factories
from web.extensions import db


def _ask(client, api_headers):
    created = client.post("/api/v1/consultations", headers=api_headers("citizen_zhang"), json={
        "title": "加班费", "question": "公司不给加班费怎么办？", "category": "labor",
        "case_status": "none", "contact_phone": "13912345678"})
    assert created.status_code == 201
    return created.json["id"]


def test_the_lawyer_reads_the_notice_of_a_new_task_and_marks_it_read(client, api_headers,
                                                                      demo):
    cid = _ask(client, api_headers)
    lawyer = api_headers(demo.lawyer_of(cid))
    before = client.get("/api/v1/notifications", headers=lawyer).json
    [task] = [t for t in client.get("/api/v1/tasks", headers=lawyer).json
              if t["consultation_id"] == cid]
    notice = next(n for n in before["items"] if n["business_key"] == str(cid))
    assert notice["link"] == f"/tasks/{task['id']}" and notice["kind"] == "task_assigned"
    assert "加班费" in notice["subject"] and notice["read_at"] is None
    assert before["unread"] >= 1 and before["total"] >= before["unread"]

    read = client.post(f"/api/v1/notifications/{notice['id']}/read", headers=lawyer)
    assert read.status_code == 200 and read.json["read_at"] is not None
    after = client.get("/api/v1/notifications", headers=lawyer).json
    assert after["unread"] == before["unread"] - 1
    unread = client.get("/api/v1/notifications?unread=true", headers=lawyer).json
    assert notice["id"] not in [n["id"] for n in unread["items"]]

    marked = client.post("/api/v1/notifications/read-all", headers=lawyer).json
    assert marked == {"marked": before["unread"] - 1, "unread": 0}


def test_pages_and_bad_paging_names_the_field(client, api_headers, demo):
    for _ in range(3):
        _ask(client, api_headers)
    duty = api_headers("duty_sun")
    everything = client.get("/api/v1/notifications?per_page=100", headers=duty).json
    first = client.get("/api/v1/notifications?per_page=1&page=1", headers=duty).json
    second = client.get("/api/v1/notifications?per_page=1&page=2", headers=duty).json
    assert first["total"] == everything["total"] and len(first["items"]) <= 1
    if everything["total"] >= 2:
        assert first["items"][0]["id"] != second["items"][0]["id"]
    bad = client.get("/api/v1/notifications?per_page=0", headers=duty)
    assert bad.status_code == 422 and "per_page" in str(bad.json)


def test_nobody_marks_anothers_notification(client, api_headers, demo):
    cid = _ask(client, api_headers)
    lawyer = api_headers(demo.lawyer_of(cid))
    notice = client.get("/api/v1/notifications", headers=lawyer).json["items"][0]
    other = api_headers("citizen_ma")
    assert client.post(f"/api/v1/notifications/{notice['id']}/read",
                       headers=other).status_code == 404
    still = client.get("/api/v1/notifications", headers=lawyer).json["items"][0]
    assert still["read_at"] is None


def test_the_openapi_document_describes_them(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert "get" in paths["/api/v1/notifications"]
    assert "post" in paths["/api/v1/notifications/{notification_id}/read"]
    assert "post" in paths["/api/v1/notifications/read-all"]


def test_each_reader_reads_their_notices_in_their_own_language(app, client, api_headers, demo):
    cid = _ask(client, api_headers)
    lawyer = demo.lawyer_of(cid)
    with app.app_context():
        lawyer_id = db.session.scalar(select(User.id).where(User.username == lawyer))
        supervisor = Actor.of(db.session.scalar(select(User).where(User.role == "supervisor")))
        supervision.warn(db.session, supervisor, lawyer_id, "答复敷衍")
        db.session.add(Notification(user_id=lawyer_id, kind="x", subject="旧的通知",
                                    body="保存的原文"))  # written before notices kept templates
        db.session.commit()

    def notices() -> dict:
        found = client.get("/api/v1/notifications", headers=api_headers(lawyer)).json["items"]
        return {n["kind"]: (n["subject"], n["body"]) for n in found}
    assert notices()["task_assigned"] == (
        "新的法律咨询待解答：加班费",
        f"您有一条新的法律咨询留言（编号 {cid}），请在 5 小时内解答。")
    assert notices()["warn"] == ("北京法网监督警告",
                                 "网络监督人员对您作出警告。理由：答复敷衍")

    client.post("/auth/login", data={"username": lawyer,
                                     "password": factories.demo_password(lawyer)})
    client.post("/language", data={"lang": "en"})  # saved on the lawyer: the API follows it
    assert notices()["task_assigned"] == (
        "A new legal consultation to answer: 加班费",
        f"You have a new legal consultation (no. {cid}); please answer it within 5 hours.")
    assert notices()["warn"] == ("Warning from the Beijing legal-service network's supervisors",
                                 "A network supervisor has warned you. Reason: 答复敷衍")
    assert notices()["x"] == ("旧的通知", "保存的原文")  # as it was written

    page = client.get("/notifications/").text
    assert "A new legal consultation to answer: 加班费" in page
    assert "A network supervisor has warned you. Reason: 答复敷衍" in page
    assert "新的法律咨询待解答" not in page and "旧的通知" in page
