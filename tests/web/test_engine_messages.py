"""The engine's messages (written in Chinese) reach an English reader in English: refusals,
not-found and conflicts in the API, and field errors on pages, those filled in from a
template (a limit) included. A Chinese reader reads them as written."""
from sqlalchemy import update

from engine.models import User
from web.extensions import db


def _english(app, username: str) -> None:
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(locale="en"))
        db.session.commit()


def test_api_refusals_and_not_found_in_the_callers_language(app, client, api_headers, demo):
    _english(app, "lawyer_wang")
    wang, zhang = api_headers("lawyer_wang"), api_headers("citizen_zhang")
    refused = client.post("/api/v1/consultations", headers=wang, json={})
    assert (refused.status_code, refused.json["message"]) == (
        403, "Only citizens can submit consultations.")
    missing = client.get("/api/v1/consultations/999999", headers=wang)
    assert (missing.status_code, missing.json["message"]) == (404, "Consultation not found.")
    assert client.get("/api/v1/consultations/999999", headers=zhang).json["message"] == "咨询不存在"


def test_a_task_forms_field_errors_in_english(app, client, api_headers, demo):
    _english(app, "lawyer_wang")
    cid = demo.submit(category="labor")
    assert demo.lawyer_of(cid) == "lawyer_wang"
    task = demo.task("lawyer_wang", "answer_consultation", cid)
    bad = client.post(f"/api/v1/tasks/{task.id}/complete", headers=api_headers("lawyer_wang"),
                      json={"data": {"decision": "delegate", "delegate_to": 999999}})
    assert bad.status_code == 422
    text = str(bad.json)
    assert "colleague" in text and not any("\u4e00" <= c <= "\u9fff" for c in text), text


def test_a_limit_is_filled_into_its_translation_on_the_page(app, client, auth, make_user):
    make_user("citizen_en")
    _english(app, "citizen_en")
    auth.login("citizen_en")
    page = client.post("/auth/me", data={"display_name": "名" * 121, "phone": ""})
    assert page.status_code == 422 and "At most 120 characters." in page.text
    assert "最多 120 个字符" not in page.text
    client.post("/language", data={"lang": "zh"})
    page = client.post("/auth/me", data={"display_name": "名" * 121, "phone": ""})
    assert "最多 120 个字符" in page.text


def test_the_touting_check_names_its_findings_in_english(app, client, api_headers, demo):
    _english(app, "lawyer_wang")
    cid = demo.submit(category="labor")
    task = demo.task("lawyer_wang", "answer_consultation", cid)
    text = "详情请加微信 lawyer_wang2024 或致电 13800138000"
    refused = client.post(f"/api/v1/tasks/{task.id}/complete", headers=api_headers("lawyer_wang"),
                          json={"data": {"decision": "answer", "answer_text": text}})
    assert refused.status_code == 422
    [message] = refused.json["fields"]["answer_text"]
    assert message.startswith("This looks like soliciting or leaving contact details: ")
    assert "Mobile phone" in message and "WeChat ID" in message and ", " in message
