"""Who may read which consultation, and what they see (pages and API)."""
import pytest

from engine.models import Answer, Consultation
from web.extensions import db


@pytest.fixture
def world(app, make_user):
    """Two citizens, an assigned lawyer, an unrelated lawyer, a duty officer; one answered case."""
    ids = {
        "citizen": make_user("c_owner", display_name="张先生"),
        "other_citizen": make_user("c_other"),
        "lawyer": make_user("l_assigned", "lawyer", display_name="王律师", institution="甲所"),
        "other_lawyer": make_user("l_other", "lawyer", institution="乙所"),
        "duty": make_user("d_officer", "duty_officer"),
        "designer": make_user("p_designer", "designer"),
    }
    with app.app_context():
        c = Consultation(citizen_id=ids["citizen"], title="工资被拖欠", question="三个月没发工资",
                         category="labor", contact_phone="13912345678", district="朝阳区",
                         status="answered", lawyer_id=ids["lawyer"])
        db.session.add(c)
        db.session.flush()
        db.session.add(Answer(consultation_id=c.id, kind="answer", author_id=ids["lawyer"],
                              text="可申请劳动仲裁。<script>alert('x')</script>"))
        db.session.commit()
        ids["consultation"] = c.id
    return ids


def _api_get(client, username, path):
    token = client.post("/api/v1/auth/token", json={"username": username,
                                                    "password": "correct horse battery"})
    return client.get(path, headers={"Authorization": f"Bearer {token.json['token']}"})


def test_citizen_reads_own_answer_attributed_to_the_lawyer(client, auth, world):
    auth.login("c_owner")
    listing = client.get("/consultations/")
    assert "工资被拖欠" in listing.text and "已答复" in listing.text
    page = client.get(f"/consultations/{world['consultation']}")
    assert page.status_code == 200
    assert "可申请劳动仲裁" in page.text and "王律师" in page.text


def test_answer_html_is_shown_as_text(client, auth, world):
    auth.login("c_owner")
    page = client.get(f"/consultations/{world['consultation']}")
    assert "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text


@pytest.mark.parametrize("username,status", [
    ("c_owner", 200), ("c_other", 404), ("l_assigned", 200), ("l_other", 404),
    ("d_officer", 200), ("p_designer", 404),
])
def test_who_may_read_a_consultation(client, world, username, status):
    response = _api_get(client, username, f"/api/v1/consultations/{world['consultation']}")
    assert response.status_code == status
    if status == 404:
        assert response.json["error"] == "not_found"


def test_lawyer_never_sees_contact_details_but_duty_officer_does(client, world):
    path = f"/api/v1/consultations/{world['consultation']}"
    lawyer = _api_get(client, "l_assigned", path).json
    assert "contact_phone" not in lawyer and "13912345678" not in str(lawyer)
    duty = _api_get(client, "d_officer", path).json
    assert duty["contact_phone"] == "13912345678"


def test_api_detail_has_answers_and_timeline(client, world):
    body = _api_get(client, "c_owner", f"/api/v1/consultations/{world['consultation']}").json
    assert body["answers"][0]["author"] == "王律师" and body["answers"][0]["kind"] == "answer"
    assert [e["event"] for e in body["timeline"]] == ["submitted", "answer"]


def test_listing_shows_only_what_the_caller_may_see(client, world):
    assert _api_get(client, "c_other", "/api/v1/consultations").json == []
    mine = _api_get(client, "c_owner", "/api/v1/consultations").json
    assert [c["id"] for c in mine] == [world["consultation"]]


def test_foreign_id_page_is_404_for_another_citizen(client, auth, world):
    auth.login("c_other")
    assert client.get(f"/consultations/{world['consultation']}").status_code == 404


def test_only_citizens_get_the_submit_form(client, auth, world):
    auth.login("l_assigned")
    assert client.get("/consultations/new").status_code == 403
    auth.logout()
    auth.login("c_owner")
    page = client.get("/consultations/new")
    assert page.status_code == 200
    assert 'name="question"' in page.text and "<select name=\"category\"" in page.text
    assert 'type="checkbox" name="vulnerable"' in page.text


def test_pages_need_login(client):
    response = client.get("/consultations/")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
