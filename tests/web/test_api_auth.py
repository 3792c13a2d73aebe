"""Token auth and the JSON error shape of /api/v1."""
import time_machine

from engine.people import users
from web.extensions import db


def _token(client, username, password="correct horse battery"):
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": password})
    assert response.status_code == 200, response.json
    return response.json["token"]


def test_token_then_me(client, make_user):
    make_user("lawyer_t", "lawyer", display_name="丁律师", institution="某律师事务所")
    token = _token(client, "lawyer_t")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["display_name"] == "丁律师" and me.json["role"] == "lawyer"
    assert me.json["role_label"] == "驻场律师" and me.json["institution"] == "某律师事务所"


def test_me_names_the_role_in_the_callers_own_language(app, client, make_user):
    uid = make_user("lawyer_en", "lawyer")
    with app.app_context():
        users.set_locale(db.session, uid, "en")
    token = _token(client, "lawyer_en")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["locale"] == "en" and me.json["role_label"] == "Resident lawyer"
    assert me.json["institution"] is None


def test_a_token_speaks_its_owners_language_whatever_the_browser_chose(client, make_user):
    make_user("lawyer_zh", "lawyer")
    client.post("/language", data={"lang": "en"})  # the same client's cookie now says English
    assert "Log in" in client.get("/auth/login").text
    token = _token(client, "lawyer_zh")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["role_label"] == "驻场律师"  # the token's owner saved no language: Chinese


def test_a_logged_out_token_no_longer_reads_me(client, make_user):
    make_user("citizen_o")
    headers = {"Authorization": f"Bearer {_token(client, 'citizen_o')}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_wrong_password_is_401_in_the_error_shape(client, make_user):
    make_user("citizen_t")
    response = client.post("/api/v1/auth/token", json={"username": "citizen_t",
                                                       "password": "nope-nope"})
    assert response.status_code == 401
    assert response.json["error"] == "unauthorized" and response.json["message"]


def test_missing_field_is_422_with_fields(client):
    response = client.post("/api/v1/auth/token", json={"username": "x"})
    assert response.status_code == 422
    assert response.json["error"] == "invalid"
    assert "password" in response.json["fields"]


def test_malformed_json_is_400_not_500(client):
    response = client.post("/api/v1/auth/token", data="{not json",
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["error"] == "bad_request" and "fields" not in response.json


def test_no_or_forged_token_is_401(client):
    assert client.get("/api/v1/me").status_code == 401
    forged = client.get("/api/v1/me", headers={"Authorization": "Bearer abc.def.ghi"})
    assert forged.status_code == 401 and forged.json["error"] == "unauthorized"
    assert forged.headers["WWW-Authenticate"].startswith("Bearer")


def test_token_expires(app, client, make_user):
    make_user("citizen_x")
    bearer = {}
    with time_machine.travel("2030-01-01 00:00:00+00:00", tick=False) as clock:
        bearer["Authorization"] = f"Bearer {_token(client, 'citizen_x')}"
        used = [client.get("/api/v1/me", headers=bearer).status_code]  # its signature checked
        clock.shift(app.config["API_TOKEN_MAX_AGE"] - 5)
        used.append(client.get("/api/v1/me", headers=bearer).status_code)
        clock.shift(10)
        used.append(client.get("/api/v1/me", headers=bearer).status_code)
        clock.shift(-app.config["API_TOKEN_MAX_AGE"] - 60)  # a clock set back: signed "later"
        used.append(client.get("/api/v1/me", headers=bearer).status_code)
    assert used == [200, 200, 401, 401]


def test_disabling_a_user_revokes_their_tokens(app, client, make_user):
    uid = make_user("lawyer_r", "lawyer")
    token = _token(client, "lawyer_r")
    with app.app_context():
        users.set_status(db.session, uid, "disabled")
        users.set_status(db.session, uid, "active")  # re-enabling does not revive old tokens
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_token_endpoint_is_rate_limited(app, client):
    app.config["LOGIN_RATE_LIMIT"] = "2/minute"
    codes = [client.post("/api/v1/auth/token", json={"username": "a", "password": "b"})
             .status_code for _ in range(3)]
    assert codes == [401, 401, 429]


def test_openapi_document_lists_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").json
    for path in ("/api/v1/auth/token", "/api/v1/me", "/api/v1/consultations",
                 "/api/v1/consultations/{consultation_id}", "/api/v1/tasks/{task_id}/complete"):
        assert path in spec["paths"], path
