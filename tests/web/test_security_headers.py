"""Security headers on every response: pages, the API, errors and static files."""
import pytest

from web import create_app


@pytest.mark.parametrize("path", ["/auth/login", "/api/v1/openapi.json", "/no-such-page",
                                  "/static/app.css", "/api/v1/me"])
def test_every_response_carries_the_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP in development


def test_production_adds_hsts(app_config, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-real-secret-from-the-environment")
    monkeypatch.setenv("AUDIT_KEY", "an-audit-chain-key-of-at-least-32-characters")
    app_config.pop("SECRET_KEY")
    response = create_app(app_config).test_client().get("/auth/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
