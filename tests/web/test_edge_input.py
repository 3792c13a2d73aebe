"""Edge input answers 4xx naming the field, never a 500: NUL bytes, numbers beyond 64 bits,
dates at the calendar's ends, JSON and expressions nested 100,000 deep."""
import pytest

from tests.factories import PASSWORD

HUGE = "99999999999999999999999"
BEYOND_64_BITS = str(2**64)
DEEP_JSON = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def as_role(client, login_as):
    """The test client, logged in as a new user with this role (login_as)."""
    def logged_in(role: str):
        login_as(role)
        return client
    return logged_in


@pytest.mark.parametrize("url,field", [
    ("/supervise/consultations?status=a%00b", "status"),
    ("/supervise/consultations?category=a%00b", "category"),
    ("/supervise/consultations?q=%00", "q"),
    ("/supervise/audit?action=a%00b", "action"),
    (f"/supervise/consultations?lawyer_id={HUGE}", "lawyer_id"),
    (f"/supervise/consultations?institution_id={BEYOND_64_BITS}", "institution_id"),
    (f"/supervise/consultations?before={HUGE}", "before"),
    (f"/supervise/audit?before={BEYOND_64_BITS}", "before"),
    (f"/supervise/audit?lawyer_id={HUGE}", "lawyer_id"),
    ("/supervise/audit?lawyer_id=%D9%A1", "lawyer_id"),  # an Arabic-Indic digit one
    ("/supervise/consultations?start=0001-01-01", "start"),
    ("/supervise/audit?end=9999-12-31", "end"),
    ("/supervise/reports?start=0001-01-01", "start"),
    ("/supervise/reports?end=0001-01-01", "end"),
    ("/supervise/reports.csv?end=9999-12-31", "end"),
])
def test_supervisor_filters_name_the_bad_field(as_role, url, field):
    response = as_role("supervisor").get(url)
    assert response.status_code == 422, response.status_code
    assert f'id="{field}-error"' in response.text or f"<strong>{field}</strong>" in response.text


@pytest.mark.parametrize("url,field", [
    (f"/board/?page={HUGE}", "page"), (f"/board/?page={BEYOND_64_BITS}", "page"),
    ("/board/?page=0", "page"), ("/board/?status=%00", "status"),
])
def test_board_paging_names_the_bad_field(as_role, url, field):
    response = as_role("duty_officer").get(url)
    assert response.status_code == 422 and f"<strong>{field}</strong>" in response.text


def test_citizen_list_page_number(as_role):
    response = as_role("citizen").get(f"/consultations/?page={HUGE}")
    assert response.status_code == 422 and "<strong>page</strong>" in response.text


@pytest.mark.parametrize("url", [f"/designer/instances/{HUGE}", f"/designer/versions/{HUGE}",
                                 f"/designer/drafts/{BEYOND_64_BITS}/edit"])
def test_huge_path_ids_are_404(as_role, url):
    assert as_role("designer").get(url).status_code == 404


@pytest.mark.parametrize("path", ["/api/v1/auth/token", "/api/v1/consultations"])
def test_deep_json_is_refused_naming_the_body(client, path):
    response = client.post(path, data=DEEP_JSON, headers={"Content-Type": "application/json"})
    assert response.status_code == 422 and "body" in response.json["fields"]


def test_api_filters_with_nul_bytes_name_the_field(client, make_user):
    make_user("citizen_nul")
    token = client.post("/api/v1/auth/token", json={"username": "citizen_nul",
                                                     "password": PASSWORD}).json["token"]
    response = client.get("/api/v1/consultations?status=a%00b",
                          headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and "status" in response.json["fields"]


@pytest.mark.parametrize("expression", [
    "-" * 100_000 + "1", "1" + "+1" * 100_000, "not " * 100_000 + "x", "a." * 50_000 + "b",
    "(" * 100_000 + "1" + ")" * 100_000])
def test_deep_expressions_in_validate_are_problems_not_crashes(as_role, expression):
    from tests.factories import DATA

    text = (DATA / "review_loop.bpmn").read_text(encoding="utf-8").replace(
        'decision == "revise"', expression)
    response = as_role("designer").post("/designer/api/validate",
                                        json={"files": {"review_loop.bpmn": text}})
    assert response.status_code == 200 and response.json["ok"] is False
    assert response.json["problems"][0]["element"] == "decide"


def test_deep_json_in_validate_is_refused(as_role):
    response = as_role("designer").post("/designer/api/validate", data=DEEP_JSON,
                                        headers={"Content-Type": "application/json",
                                                 "Accept": "application/json"})
    assert response.status_code == 422 and "body" in response.json["fields"]
