"""Sessions end on the server: logout, API logout, disabling and password resets refuse a
copied cookie or token on its very next request."""
from tests.web.conftest import PASSWORD


def _copy_of_cookie(app, client):
    """A second browser holding a copy of `client`'s session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def _token(client, username, password=PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


def test_logout_refuses_a_copied_cookie(app, client, auth, make_user):
    make_user("citizen_s")
    auth.login("citizen_s")
    copy = _copy_of_cookie(app, client)
    assert copy.get("/consultations/").status_code == 200  # the copy works while logged in
    auth.logout()
    replay = copy.get("/consultations/")
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/auth/login")


def test_logout_ends_only_that_session(app, auth, client, make_user):
    make_user("citizen_two")
    phone = app.test_client()
    phone.post("/auth/login", data={"username": "citizen_two", "password": PASSWORD})
    auth.login("citizen_two")
    auth.logout()
    assert phone.get("/consultations/").status_code == 200


def test_api_logout_revokes_the_token(client, make_user):
    make_user("lawyer_s", "lawyer")
    first, second = _token(client, "lawyer_s"), _token(client, "lawyer_s")
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 204
    refused = client.get("/api/v1/me", headers=first)
    assert refused.status_code == 401 and refused.json["error"] == "unauthorized"
    assert client.post("/api/v1/auth/logout", headers=first).status_code == 401
    assert client.get("/api/v1/me", headers=second).status_code == 200


def test_cli_disable_refuses_session_and_token_at_once(app, client, auth, make_user, runner):
    make_user("lawyer_d", "lawyer")
    auth.login("lawyer_d")
    headers = _token(client, "lawyer_d")
    assert client.get("/tasks/").status_code == 200
    result = runner.invoke(args=["users", "disable", "lawyer_d"])
    assert result.exit_code == 0 and "disabled lawyer_d" in result.output
    assert client.get("/tasks/").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert auth.login("lawyer_d").status_code == 401

    result = runner.invoke(args=["users", "enable", "lawyer_d"])
    assert result.exit_code == 0 and "status: active" in result.output
    assert client.get("/api/v1/me", headers=headers).status_code == 401  # old ones stay dead
    assert auth.login("lawyer_d").status_code == 302


def test_cli_reset_password_prints_a_one_time_password(app, client, auth, make_user, runner):
    make_user("citizen_r")
    auth.login("citizen_r")
    headers = _token(client, "citizen_r")
    result = runner.invoke(args=["users", "reset-password", "citizen_r"])
    assert result.exit_code == 0, result.output
    password = result.output.rsplit(": ", 1)[1].strip()
    assert len(password) >= 12
    assert client.get("/consultations/").status_code == 302
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    assert auth.login("citizen_r").status_code == 401  # the old password is gone
    assert auth.login("citizen_r", password).status_code == 302


def test_cli_reset_password_to_a_chosen_one(runner, auth, make_user):
    make_user("citizen_q")
    result = runner.invoke(args=["users", "reset-password", "citizen_q", "--password",
                                 "a brand new one"])
    assert result.exit_code == 0 and "one-time" not in result.output
    assert auth.login("citizen_q", "a brand new one").status_code == 302


def test_cli_account_commands_refuse_bad_input(runner, make_user):
    make_user("citizen_p")
    unknown = runner.invoke(args=["users", "disable", "nobody_here"])
    assert unknown.exit_code != 0 and "用户不存在：nobody_here" in unknown.output
    short = runner.invoke(args=["users", "reset-password", "citizen_p", "--password", "short"])
    assert short.exit_code != 0 and "password" in short.output


def test_sessions_expire_on_the_server(app, client, auth, make_user):
    import time_machine

    make_user("citizen_x")
    with time_machine.travel("2030-01-01 00:00:00+00:00", tick=False) as clock:
        auth.login("citizen_x")
        assert client.get("/consultations/").status_code == 200
        clock.shift(app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() + 5)
        assert client.get("/consultations/").status_code == 302


def test_a_one_time_password_must_be_changed_first(app, client, auth, make_user, runner):
    make_user("citizen_o")
    result = runner.invoke(args=["users", "reset-password", "citizen_o"])
    one_time = result.output.rsplit(": ", 1)[1].strip()
    refused = client.post("/api/v1/auth/token", json={"username": "citizen_o",
                                                      "password": one_time})
    assert refused.status_code == 403 and "one-time" in refused.json["message"]
    auth.login("citizen_o", one_time)
    page = client.get("/consultations/")
    assert page.status_code == 302 and page.headers["Location"] == "/auth/password"
    assert "一次性密码" in client.get("/auth/password").text
    other = app.test_client()
    other.post("/auth/login", data={"username": "citizen_o", "password": one_time})
    wrong = client.post("/auth/password", data={"current": "not it", "password": "my own one",
                                                "confirm": "my own one"})
    assert wrong.status_code == 422 and 'id="current-error"' in wrong.text
    done = client.post("/auth/password", data={"current": one_time, "password": "my own one",
                                               "confirm": "my own one"})
    assert done.status_code == 302
    assert client.get("/consultations/").status_code == 200
    assert other.get("/consultations/").status_code == 302  # the other login ended
    assert _token(client, "citizen_o", "my own one")


def test_a_password_set_by_the_administrator_needs_no_change(client, auth, make_user, runner):
    make_user("citizen_n")
    runner.invoke(args=["users", "reset-password", "citizen_n", "--password", "chosen by admin"])
    auth.login("citizen_n", "chosen by admin")
    assert client.get("/consultations/").status_code == 200
