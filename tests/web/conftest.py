"""flaskr-style fixtures: app, client, runner, auth; `session` for the shared fixtures of
tests/fixtures.py (world, deployed, people, login). SQLite by default; PostgreSQL when
TEST_DATABASE_URL is set (one fresh schema per test session, dropped afterwards)."""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from engine.db import SESSION_OPTIONS
from engine.models import Base
from engine.people import users
from tests import drivers, factories
from tests.dbutil import backends
from tests.factories import PASSWORD
from web import create_app
from web.extensions import db


def _schema_url(base_url: str, schema: str) -> str:
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session", params=backends())
def database_url_factory(request, tmp_path_factory):
    """Returns a function giving a fresh, empty database URL for a test: SQLite, and also
    PostgreSQL when TEST_DATABASE_URL is set (every web test runs on both)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if request.param == "sqlite":
        yield lambda: f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    schemas = []

    def fresh() -> str:
        schema = f"webtest_{uuid.uuid4().hex[:12]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        schemas.append(schema)
        return _schema_url(base, schema)

    yield fresh
    with admin.connect() as conn:
        for schema in schemas:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def app_config(database_url_factory, tmp_path):
    """Test settings; tests may change them before asking for `app`."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_url_factory(),
        "WTF_CSRF_ENABLED": False,
        "LOGIN_RATE_LIMIT": "1000/minute",
        "SUBMIT_RATE_LIMIT": "1000/minute",
    }


@pytest.fixture
def app(app_config):
    app = create_app(app_config)
    with app.app_context():
        Base.metadata.create_all(db.engine)
    yield app
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


@pytest.fixture
def session(app):
    """A session on the app's database for setting up (tests/fixtures.py), outside any app
    context: each request of the test pushes its own, as in production."""
    with app.app_context():
        engine = db.engine
    with Session(engine, **SESSION_OPTIONS) as s:
        yield s


@pytest.fixture
def app_context(app):
    """An app context held for the whole test, for tests that use db.session themselves
    (requests made meanwhile share it)."""
    with app.app_context():
        yield


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user with PASSWORD through the engine; returns its id."""
    def make(username: str, role: str = "citizen", **kwargs) -> int:
        with app.app_context():
            return users.create_user(db.session, username, role, password=PASSWORD,
                                     **kwargs).id
    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username: str, password: str = PASSWORD, **kwargs):
        return self._client.post("/auth/login", data={"username": username,
                                                      "password": password}, **kwargs)

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def login_as(make_user, login):
    """Log the test client in as a new user with this role; the user's id."""
    def as_role(role: str) -> int:
        user_id = make_user(f"{role}_user", role)
        login(f"{role}_user")
        return user_id
    return as_role


@pytest.fixture
def play(app_context, world, deployed) -> drivers.Play:
    """Consultations played by the seeded people on processes/ (tests/drivers.py)."""
    return drivers.Play(world)


@pytest.fixture
def waiting(session, world, deployed):
    """Two consultations waiting for their lawyer on consultation v1, then v2 (a quality check)
    deployed. Returns (v1, v2, [instance ids])."""
    v1 = deployed["consultation"]
    ids = [factories.instance_of(session, factories.submit(session, world)) for _ in range(2)]
    return v1, factories.deploy_consultation_v2(session, v1), ids


@pytest.fixture
def demo(app):
    """Demo users and the deployed diagrams; a helper to run consultations."""
    return drivers.Demo(app)


@pytest.fixture
def api_headers(client):
    """Bearer headers for a user: api_headers("lawyer_wang", "demo-lawyer-pass")."""
    cache: dict = {}

    def headers(username: str, password: str | None = None) -> dict:
        if username not in cache:
            password = password or factories.demo_password(username)
            response = client.post("/api/v1/auth/token",
                                   json={"username": username, "password": password})
            assert response.status_code == 200, response.json
            cache[username] = {"Authorization": f"Bearer {response.json['token']}"}
        return cache[username]
    return headers


class FrontDoor:
    """The app as an operator starts it: `create_app()` configured by the environment only.

    `flask(...)` runs one `flask --app web ...` command on a fresh app (as each command line
    does); `app()` gives a fresh app for HTTP requests. Each app's connections are closed after.
    """

    def __init__(self, database_url: str):
        self.database_url = database_url
        self.commands: list[tuple[str, ...]] = []  # every command run, for coverage checks
        self._apps = []

    def app(self):
        app = create_app()
        self._apps.append(app)
        return app

    def flask(self, *args: str, input: str | None = None):
        """Run the command as `flask --app web ARGS` would: the app is made inside the command
        line, so a setting it refuses is reported like any command error. Returns Click's result
        (exit_code, output, stdout, stderr)."""
        from click.testing import CliRunner
        from flask.cli import FlaskGroup

        self.commands.append(tuple(args))
        made = []
        group = FlaskGroup(create_app=lambda: made.append(create_app()) or made[-1],
                           load_dotenv=False, set_debug_flag=False)
        try:
            return CliRunner().invoke(group, list(args), input=input)
        finally:
            for app in made:
                _close(app)

    def create_schema(self) -> None:
        """The tables without Alembic, for tests about something else than `init-db`."""
        engine = create_engine(self.database_url)
        Base.metadata.create_all(engine)
        engine.dispose()

    def close(self) -> None:
        for app in self._apps:
            _close(app)


def _close(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def front_door(monkeypatch, database_url_factory):
    """A FrontDoor on a fresh database; every documented setting unset but DATABASE_URL and
    SECRET_KEY (a test sets more with monkeypatch.setenv before starting an app)."""
    from web.config import GUNICORN_SETTINGS, SETTINGS

    for setting in SETTINGS + GUNICORN_SETTINGS:
        monkeypatch.delenv(setting.env, raising=False)
    url = database_url_factory()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("SECRET_KEY", "front-door-secret")
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")  # what the command line sets
    door = FrontDoor(url)
    yield door
    door.close()
