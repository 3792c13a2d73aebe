"""Citizens' pages and the consultation API on the real engine: who reads what."""
import pytest

from tests.factories import QUESTION

SCRIPT = "可申请劳动仲裁。<script>alert('x')</script>"


@pytest.fixture
def answered(demo):
    """citizen_zhang's question, answered by its lawyer (through the real diagrams)."""
    cid = demo.submit()
    lawyer = demo.answer(cid, SCRIPT)
    return {"id": cid, "lawyer": lawyer}


def test_citizen_reads_own_answer_attributed_to_the_lawyer(client, auth, demo, answered):
    auth.login("citizen_zhang", "demo-citizen-pass")
    listing = client.get("/consultations/")
    assert all(text in listing.text for text in (QUESTION["title"], "已答复", "请您评价"))
    page = client.get(f"/consultations/{answered['id']}")
    assert page.status_code == 200
    lawyer_name = {"lawyer_wang": "王律师", "lawyer_zhao": "赵律师", "lawyer_li": "李律师"}
    assert "可申请劳动仲裁" in page.text and lawyer_name[answered["lawyer"]] in page.text


def test_answer_html_is_shown_as_text(client, auth, answered):
    """An answer with <script> reaches the citizen's page (and the lawyer's) escaped."""
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = client.get(f"/consultations/{answered['id']}")
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text


def test_rating_form_is_a_yes_no_choice_and_must_be_answered(client, auth, demo, answered,
                                                             api_headers):
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = client.get(f"/consultations/{answered['id']}")
    assert 'type="radio" name="satisfied" value="true"' in page.text
    assert 'type="radio" name="satisfied" value="false"' in page.text
    assert 'type="checkbox" name="satisfied"' not in page.text
    assert 'type="checkbox" name="wants_referral"' in page.text
    task = demo.task("citizen_zhang", "rate_answer", answered["id"])
    url = f"/consultations/{answered['id']}/tasks/{task.id}"
    unanswered = client.post(url, data={"feedback_comment": "谢谢"})
    assert unanswered.status_code == 422 and 'id="satisfied-error"' in unanswered.text
    assert "谢谢" in unanswered.text  # what was typed stays
    done = client.post(url, data={"satisfied": "true", "feedback_comment": "很清楚",
                                  "wants_referral": "on"})
    assert done.status_code == 303
    again = client.post(url, data={"satisfied": "true"})
    assert again.status_code == 409
    # The satisfied citizen asked for offline engagement: a duty officer arranges it.
    assert demo.task("duty_sun", "arrange_referral", answered["id"])
    demo.complete("duty_sun", "arrange_referral", answered["id"], arrange_notes="已确认")
    page = client.get(f"/consultations/{answered['id']}")
    assert "线下委托" in page.text and "等待其答复" in page.text and "答复期限" in page.text
    body = client.get(f"/api/v1/consultations/{answered['id']}",
                      headers=api_headers("citizen_zhang")).json
    assert body["referral"]["status"] == "offered" and body["referral"]["declines"] == []


def test_dissatisfied_rating_sends_a_duty_officer_to_call_back(client, auth, demo, answered):
    auth.login("citizen_zhang", "demo-citizen-pass")
    task = demo.task("citizen_zhang", "rate_answer", answered["id"])
    response = client.post(f"/consultations/{answered['id']}/tasks/{task.id}",
                           data={"satisfied": "false", "feedback_comment": "没回答我的问题"})
    assert response.status_code == 303
    assert demo.task("duty_sun", "callback_citizen", answered["id"])


def test_api_detail_has_answers_timeline_and_no_back_office(client, api_headers, answered):
    body = client.get(f"/api/v1/consultations/{answered['id']}",
                      headers=api_headers("citizen_zhang")).json
    answer = body["answers"][0]
    assert answer["text"] == SCRIPT and answer["kind"] == "answer" and answer["author"]
    assert set(answer) == {"id", "text", "kind", "round", "author", "published_at"}
    events = [e["event"] for e in body["timeline"]]
    assert events[0] == "consultation_submitted" and "answer_published" in events
    assert body["contact_phone"] == QUESTION["contact_phone"]


def test_lawyer_never_sees_contact_details_but_duty_officer_does(client, api_headers,
                                                                 answered):
    path = f"/api/v1/consultations/{answered['id']}"
    lawyer = client.get(path, headers=api_headers(answered["lawyer"])).json
    assert "contact_phone" not in lawyer and QUESTION["contact_phone"] not in str(lawyer)
    duty = client.get(path, headers=api_headers("duty_sun")).json
    assert duty["contact_phone"] == QUESTION["contact_phone"]


def test_listing_shows_only_what_the_caller_may_see(client, api_headers, answered):
    assert client.get("/api/v1/consultations", headers=api_headers("citizen_ma")).json == []
    mine = client.get("/api/v1/consultations", headers=api_headers("citizen_zhang")).json
    assert [c["id"] for c in mine] == [answered["id"]]
    filtered = client.get("/api/v1/consultations?status=closed",
                          headers=api_headers("citizen_zhang")).json
    assert filtered == []


def test_submit_page_renders_the_start_form_and_reports_errors(client, auth, demo):
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = client.get("/consultations/new")
    assert page.status_code == 200
    assert 'name="question"' in page.text and 'name="category"' in page.text
    assert 'type="checkbox" name="vulnerable"' in page.text
    bad = client.post("/consultations/new", data={"title": "", "category": "labor"})
    assert bad.status_code == 422 and 'id="question-error"' in bad.text
    good = client.post("/consultations/new", data={**QUESTION, "vulnerable": "on"})
    assert good.status_code == 303 and "/consultations/" in good.headers["Location"]


def test_pages_need_login(client):
    response = client.get("/consultations/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
