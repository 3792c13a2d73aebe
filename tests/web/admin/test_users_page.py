"""The administrators' accounts page: list, disable, enable, reset a password (CSRF-protected)."""
import re

from web import create_app
from web.extensions import db


def test_admin_lists_accounts_and_disables_one(app, client, auth, make_user):
    make_user("root_admin", "admin")
    make_user("lawyer_p", "lawyer", display_name="彭律师")
    victim = app.test_client()
    victim.post("/auth/login", data={"username": "lawyer_p", "password": "correct horse battery"})
    auth.login("root_admin")
    page = client.get("/admin/users")
    assert page.status_code == 200 and "彭律师" in page.text and "账号管理" in page.text
    lawyer_id = int(re.search(r'id="user-(\d+)"[^>]*>\s*<td[^>]*>lawyer_p<', page.text)[1])
    done = client.post(f"/admin/users/{lawyer_id}/disable", follow_redirects=True)
    assert "已停用账号 lawyer_p" in done.text and "已停用</td>" in done.text
    assert victim.get("/tasks/").status_code == 302  # their open session ended at once
    enabled = client.post(f"/admin/users/{lawyer_id}/enable", follow_redirects=True)
    assert "已启用账号 lawyer_p" in enabled.text


def test_reset_password_shows_the_one_time_password_once(app, client, auth, make_user):
    make_user("root_admin", "admin")
    uid = make_user("citizen_p")
    auth.login("root_admin")
    shown = client.post(f"/admin/users/{uid}/password", data={"password": ""})
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    password = re.search(r'id="one-time-password">([^<]+)<', shown.text)[1]
    assert "one-time-password" not in client.get("/admin/users").text
    other = app.test_client()
    assert other.post("/auth/login", data={"username": "citizen_p",
                                           "password": password}).status_code == 302


def test_reset_password_names_the_bad_field(client, auth, make_user):
    make_user("root_admin", "admin")
    uid = make_user("citizen_q")
    auth.login("root_admin")
    response = client.post(f"/admin/users/{uid}/password", data={"password": "short"})
    assert response.status_code == 422
    assert f'id="password-{uid}-error"' in response.text and "密码至少 8 个字符" in response.text


def test_admin_cannot_disable_themselves(client, auth, make_user):
    uid = make_user("root_admin", "admin")
    auth.login("root_admin")
    response = client.post(f"/admin/users/{uid}/disable")
    assert response.status_code == 422 and "不能停用自己的账号" in response.text


def test_page_is_english_too(client, auth, make_user):
    make_user("root_admin", "admin")
    auth.login("root_admin")
    client.post("/language", data={"lang": "en", "next": "/admin/users"})
    page = client.get("/admin/users")
    assert "Accounts" in page.text and "Reset password" in page.text
    assert "账号管理" not in page.text and "重设密码" not in page.text


def test_forms_need_the_csrf_token(app_config, make_user):
    app_config["WTF_CSRF_ENABLED"] = True
    app = create_app(app_config)
    with app.app_context():
        db.metadata.create_all(db.engine)
    client = app.test_client()
    response = client.post("/admin/users/1/disable")
    assert response.status_code == 400 and "安全令牌" in response.text
