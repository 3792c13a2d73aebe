"""Engine errors and HTTP errors reach users as one JSON shape or as an HTML page."""
import pytest

from engine import errors


@pytest.fixture
def raising_app(app):
    """Routes that raise each engine error, as a view calling the engine would."""
    def boom(kind):
        raise {
            "notfound": errors.NotFound("任务不存在"),
            "notallowed": errors.NotAllowed("无权操作"),
            "conflict": errors.TaskConflict("任务已被他人完成"),
            "form": errors.InvalidFormData("表单无效", fields={"answer_text": ["必填"]}),
            "bundle": errors.BundleInvalid([errors.BundleProblem("a.bpmn", "Lane_1", "bad")]),
            "failed": errors.InstanceFailed("流程步骤“notify”执行失败。",
                                            detail="OperationalError AdminShutdown at 10.0.0.5"),
            "crash": RuntimeError("psycopg AdminShutdown: terminating connection"),
        }[kind]
    app.add_url_rule("/api/v1/_boom/<kind>", "boom_api", boom)
    app.add_url_rule("/_boom/<kind>", "boom_html", boom)
    return app


@pytest.mark.parametrize("kind,status,code", [
    ("notfound", 404, "not_found"), ("notallowed", 403, "forbidden"),
    ("conflict", 409, "conflict"), ("form", 422, "invalid"), ("bundle", 422, "bundle_invalid"),
])
def test_engine_errors_map_to_status_and_json_shape(raising_app, kind, status, code):
    response = raising_app.test_client().get(f"/api/v1/_boom/{kind}")
    assert response.status_code == status
    assert response.json["error"] == code and response.json["message"]


def test_form_errors_carry_fields(raising_app):
    body = raising_app.test_client().get("/api/v1/_boom/form").json
    assert body["fields"] == {"answer_text": ["必填"]}


def test_browser_gets_an_html_page_with_the_message(raising_app):
    response = raising_app.test_client().get("/_boom/conflict")
    assert response.status_code == 409
    assert response.mimetype == "text/html" and "任务已被他人完成" in response.text


def test_accept_json_outside_api_gets_json(raising_app):
    response = raising_app.test_client().get("/_boom/notallowed",
                                             headers={"Accept": "application/json"})
    assert response.status_code == 403 and response.json["error"] == "forbidden"


def test_unknown_page_is_html_404_and_unknown_api_path_is_json(client):
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "页面或对象不存在" in page.text
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.json["error"] == "not_found"


def test_wrong_method_is_405_json(client):
    response = client.delete("/api/v1/me")
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"


def test_healthz_reports_database_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(app_config):
    from web import create_app

    app_config["SQLALCHEMY_DATABASE_URI"] = "sqlite:////nonexistent-dir/x.db"
    response = create_app(app_config).test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "error"


def test_production_refuses_the_default_secret(app_config, monkeypatch):
    from web import create_app

    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app_config.pop("SECRET_KEY")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(app_config)
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.delenv("AUDIT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="AUDIT_KEY"):
        create_app(app_config)
    monkeypatch.setenv("AUDIT_KEY", "k" * 32)
    app = create_app(app_config)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_a_failed_step_tells_what_failed_never_the_internal_detail(raising_app):
    body = raising_app.test_client().get("/api/v1/_boom/failed").json
    assert body["error"] == "instance_failed" and "notify" in body["message"]
    assert "AdminShutdown" not in str(body)


def test_internal_error_text_is_logged_never_sent(raising_app, caplog):
    kind = "crash"  # an exception nobody expected, e.g. the database connection dropped
    raising_app.config["PROPAGATE_EXCEPTIONS"] = False
    client = raising_app.test_client()
    body = client.get(f"/api/v1/_boom/{kind}").json
    assert "AdminShutdown" not in str(body) and body["error"] == "server_error"
    assert body["incident"] in body["message"]
    logged = [r for r in caplog.records if body["incident"] in r.getMessage()]
    assert logged and "AdminShutdown" in logged[0].getMessage()
    page = client.get(f"/_boom/{kind}")
    assert page.status_code == 500 and "AdminShutdown" not in page.text
    assert "事件编号" in page.text
