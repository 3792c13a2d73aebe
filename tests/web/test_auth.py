"""Login, logout, registration, rate limiting and CSRF as a visitor experiences them."""
import pytest

from engine.models import User
from engine.people import users
from web import create_app
from web.extensions import db


def test_login_page_is_chinese_by_default(client):
    page = client.get("/auth/login")
    assert page.status_code == 200
    assert "登录" in page.text and 'name="username"' in page.text


def test_login_ok_shows_name_and_role(client, auth, make_user):
    make_user("lawyer_a", "lawyer", display_name="甲律师", institution="某所")
    response = auth.login("lawyer_a", follow_redirects=True)
    assert response.status_code == 200
    assert "甲律师" in response.text and "驻场律师" in response.text


def test_login_wrong_password_is_refused(client, auth, make_user):
    make_user("citizen_a")
    response = auth.login("citizen_a", "wrong-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert client.get("/consultations/").status_code == 302  # still anonymous


def test_unknown_user_gets_the_same_answer(auth):
    response = auth.login("nobody", "whatever-pass")
    assert response.status_code == 401 and "用户名或密码错误" in response.text


def test_a_new_secret_key_ends_cookies_signed_with_the_old_one(app, client, auth, make_user):
    make_user("citizen_k")
    auth.login("citizen_k")
    assert client.get("/consultations/").status_code == 200
    app.config["SECRET_KEY"] = "rotated-secret"
    app.config["SECRET_KEY_FALLBACKS"] = ["test-secret"]  # the old key kept to verify with
    assert client.get("/consultations/").status_code == 200
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert client.get("/consultations/").status_code == 302  # the old signature no longer counts


def test_disabled_user_cannot_log_in(app, auth, make_user):
    uid = make_user("citizen_b")
    with app.app_context():
        users.set_status(db.session, uid, "disabled")
    assert auth.login("citizen_b").status_code == 401


def test_disabling_ends_an_open_session(app, client, auth, make_user):
    uid = make_user("citizen_c")
    auth.login("citizen_c")
    assert client.get("/consultations/").status_code == 200
    with app.app_context():
        users.set_status(db.session, uid, "disabled")
    assert client.get("/consultations/").status_code == 302


def test_logout_is_post_only_and_ends_session(client, auth, make_user):
    make_user("citizen_d")
    auth.login("citizen_d")
    assert client.get("/auth/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/consultations/").headers["Location"].startswith("/auth/login")


def test_next_parameter_cannot_leave_the_site(client, auth, make_user):
    make_user("citizen_e")
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"username": "citizen_e", "password": "correct horse battery"})
    assert response.headers["Location"] == "/"


def test_login_is_rate_limited(app_config):
    app_config["LOGIN_RATE_LIMIT"] = "3/minute"
    app = create_app(app_config)
    with app.app_context():
        db.metadata.create_all(db.engine)
    client = app.test_client()
    codes = [client.post("/auth/login", data={"username": "x", "password": "y" * 8}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "请求过于频繁" in client.post("/auth/login", data={}).text


def test_csrf_token_required_when_enabled(app_config):
    app_config["WTF_CSRF_ENABLED"] = True
    app = create_app(app_config)
    with app.app_context():
        db.metadata.create_all(db.engine)
    response = app.test_client().post("/auth/login", data={"username": "a", "password": "b"})
    assert response.status_code == 400
    assert "安全令牌" in response.text


def test_register_creates_a_logged_in_citizen(app, client):
    response = client.post("/auth/register", data={
        "username": "new_citizen", "password": "long enough", "confirm": "long enough",
        "display_name": "新用户", "phone": "13911112222"}, follow_redirects=True)
    assert response.status_code == 200 and "新用户" in response.text and "咨询人" in response.text
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "new_citizen"))
        assert user.role == "citizen" and user.phone == "13911112222"
        assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize("field,value,message", [
    ("password", "short", "密码至少 8 个字符"),
    ("username", "a", "用户名须为"),
    ("phone", "call me", "请输入有效的电话号码"),
    ("display_name", "", "请输入姓名或称呼"),
])
def test_register_reports_the_bad_field(client, field, value, message):
    data = {"username": "someone", "password": "long enough", "confirm": "long enough",
            "display_name": "某人", "phone": "13911112222", field: value}
    if field == "password":
        data["confirm"] = value
    response = client.post("/auth/register", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text and message in response.text


def test_register_duplicate_username_is_shown_beside_the_field(client, make_user):
    make_user("taken")
    response = client.post("/auth/register", data={
        "username": "taken", "password": "long enough", "confirm": "long enough",
        "display_name": "某人", "phone": "13911112222"})
    assert response.status_code == 422
    assert 'id="username-error"' in response.text and "用户名已被使用" in response.text
