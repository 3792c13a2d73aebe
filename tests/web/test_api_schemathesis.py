"""Property-based fuzzing of the JSON API with schemathesis: every operation of
/api/v1/openapi.json, called through the WSGI app by an authenticated citizen and lawyer with
real tokens, must never answer 5xx and must answer what the document says (status, content
type, body schema). tests/web/test_api_fuzz.py keeps the hand-picked bad inputs beside it.

The number of cases and server errors is written at the end of the module's run
(`pytest -p no:xdist tests/web/test_api_schemathesis.py`).
"""
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks

from engine.models import Base
from tests.drivers import Demo
from web import create_app
from web.extensions import db

# A bound on examples per operation and role, and on the time one example may take.
EXAMPLES = 25
DEADLINE = timedelta(seconds=10)
CALLERS = {"citizen": ("citizen_zhang", "demo-citizen-pass"),
           "lawyer": ("lawyer_wang", "demo-lawyer-pass")}
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_schema_conformance]
TALLY = {"cases": 0, "positive": 0, "negative": 0, "server_errors": 0}


@pytest.fixture(scope="module")
def api_world(database_url_factory, request):
    """One app with the demo users and diagrams and a consultation in the lawyer's inbox."""
    app = create_app({"TESTING": True, "SECRET_KEY": "fuzz-secret",
                      "SQLALCHEMY_DATABASE_URI": database_url_factory(),
                      "LOGIN_RATE_LIMIT": "1000000/minute",
                      "SUBMIT_RATE_LIMIT": "1000000/minute", "PROPAGATE_EXCEPTIONS": False})
    with app.app_context():
        Base.metadata.create_all(db.engine)
    demo = Demo(app)
    demo.submit("citizen_zhang", category="labor")
    TALLY.update(dict.fromkeys(TALLY, 0))  # one count per database backend
    yield app
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"\nschemathesis: {TALLY['cases']} cases ({TALLY['positive']} valid, "
                f"{TALLY['negative']} invalid), {TALLY['server_errors']} server errors")
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


def _token(app, role: str) -> dict:
    username, password = CALLERS[role]
    response = app.test_client().post("/api/v1/auth/token",
                                      json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['token']}"}


@pytest.fixture(scope="module")
def tokens(api_world):
    return {role: _token(api_world, role) for role in CALLERS}


# The document is read once from an app without a database (it is the same for every app);
# the calls go to the module's app (`app=` below), which has the data.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app(
    {"SECRET_KEY": "schema-only", "SQLALCHEMY_DATABASE_URI": "sqlite://"}))
# Valid requests and invalid ones (wrong types, missing fields, out-of-range values).
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=DEADLINE, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_operations_never_fail_on_the_server(case, tokens, api_world):
    for role in CALLERS:  # each generated request, as the citizen and as the lawyer
        # logging out revokes the token it uses: that operation gets a token of its own
        logout = case.path.endswith("/auth/logout")
        headers = _token(api_world, role) if logout else tokens[role]
        TALLY["cases"] += 1
        TALLY[case.meta.generation.mode.value] += 1
        response = case.call(headers=headers, app=api_world)
        TALLY["server_errors"] += response.status_code >= 500
        case.validate_response(response, checks=CHECKS)
