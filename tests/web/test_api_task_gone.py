"""A task that has left the caller answers the API with 409 `task_gone`, saying what became of
it (a colleague claimed or completed it) in the caller's saved language; to anyone it was never
offered to it stays 404."""
from sqlalchemy import update

from engine.models import User
from web.extensions import db


def test_a_colleagues_claim_is_a_409_that_says_who(client, api_headers, demo):
    cid = demo.submit()
    demo.answer(cid, "答复", sensitive=True)
    task = demo.task("duty_sun", "handle_sensitive", cid)
    sun, zhou = api_headers("duty_sun"), api_headers("duty_zhou")
    assert client.post(f"/api/v1/tasks/{task.id}/claim", headers=sun).status_code == 200

    for call in (lambda: client.get(f"/api/v1/tasks/{task.id}", headers=zhou),
                 lambda: client.post(f"/api/v1/tasks/{task.id}/claim", headers=zhou),
                 lambda: client.post(f"/api/v1/tasks/{task.id}/complete", headers=zhou,
                                     json={"data": {"handling_notes": "我来处理"}})):
        answer = call()
        assert answer.status_code == 409, answer.json
        assert answer.json == {"error": "task_gone", "message": "该任务已由 孙值班员 领取。",
                               "task": {"state": "claimed", "by": "孙值班员", "by_you": False}}
    assert client.get(f"/api/v1/tasks/{task.id}", headers=sun).status_code == 200  # still his


def test_a_completed_task_says_who_did_it_and_nothing_to_outsiders(client, api_headers, demo):
    cid = demo.submit()
    demo.answer(cid, "答复", attention=True)
    task = demo.task("duty_sun", "handle_attention", cid)
    sun = api_headers("duty_sun")
    assert client.post(f"/api/v1/tasks/{task.id}/complete", headers=sun, json={
        "data": {"handling_notes": "已电话回访"}}).status_code == 200
    done = client.post(f"/api/v1/tasks/{task.id}/complete", headers=api_headers("duty_zhou"),
                       json={"data": {"handling_notes": "再次回访"}})
    assert (done.status_code, done.json["task"]) == (
        409, {"state": "completed", "by": "孙值班员", "by_you": False})
    outsider = client.get(f"/api/v1/tasks/{task.id}", headers=api_headers("lawyer_li"))
    assert (outsider.status_code, outsider.json["error"]) == (404, "not_found")


def test_the_error_body_is_documented(client):
    spec = client.get("/api/v1/openapi.json").json
    error = spec["components"]["schemas"]["Error"]["properties"]
    gone = spec["components"]["schemas"]["TaskWhereabouts"]
    assert "task" in error and gone["properties"]["state"]["enum"] == [
        "claimed", "completed", "reassigned", "withdrawn"]


def test_the_api_speaks_the_callers_saved_language(client, api_headers, demo, app):
    cid = demo.submit()
    demo.answer(cid, "答复", sensitive=True)
    task = demo.task("duty_sun", "handle_sensitive", cid)
    assert client.post(f"/api/v1/tasks/{task.id}/claim",
                       headers=api_headers("duty_sun")).status_code == 200
    with app.app_context():  # duty_zhou chose English on his profile page
        db.session.execute(update(User).where(User.username == "duty_zhou").values(locale="en"))
        db.session.commit()
    zhou = api_headers("duty_zhou")
    gone = client.get(f"/api/v1/tasks/{task.id}", headers=zhou)
    assert (gone.status_code, gone.json["message"]) == (
        409, "孙值班员 has already claimed this task.")
    bad = client.post("/api/v1/consultations", headers=api_headers("citizen_zhang"), json={})
    assert bad.status_code == 422 and bad.json["message"] == "表单填写有误"  # hers: Chinese
    me = client.get("/api/v1/me", headers=zhou).json
    assert me["role_label"] == "Duty officer"
