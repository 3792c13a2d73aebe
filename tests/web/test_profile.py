"""The citizen's phone kept in their profile: prefilled, editable, updated by a new question."""
import re

from tests.factories import QUESTION


def _prefilled_phone(client) -> str:
    page = client.get("/consultations/new")
    assert page.status_code == 200
    tag = re.search(r'<input[^>]*name="contact_phone"[^>]*>', page.text).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else ""


def test_question_form_offers_the_phone_the_citizen_gave_last(client, auth, demo):
    auth.login("citizen_zhang", "demo-citizen-pass")
    assert _prefilled_phone(client) == "13800000000"  # given when the account was made
    form = {**QUESTION, "vulnerable": "", "contact_phone": "13711112222"}
    assert client.post("/consultations/new", data=form).status_code == 303
    assert _prefilled_phone(client) == "13711112222"
    assert 'value="13711112222"' in client.get("/auth/me").text


def test_profile_page_changes_name_and_phone_and_refuses_a_bad_phone(client, auth, demo):
    auth.login("citizen_ma", "demo-citizen-pass")
    page = client.get("/auth/me")
    assert page.status_code == 200 and 'value="马女士"' in page.text
    bad = client.post("/auth/me", data={"display_name": "马女士", "phone": "电话"})
    assert bad.status_code == 422 and 'id="phone-error"' in bad.text
    assert 'value="13800000000"' in client.get("/auth/me").text  # nothing half-written
    ok = client.post("/auth/me", data={"display_name": "马红", "phone": "010-12345678"})
    assert ok.status_code == 303
    assert _prefilled_phone(client) == "010-12345678"
    assert "马红" in client.get("/consultations/").text


def test_profile_needs_a_login(client):
    assert client.get("/auth/me").status_code == 302
