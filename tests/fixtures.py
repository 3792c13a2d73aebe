"""Fixtures every suite shares, on tests/factories.py (registered in tests/conftest.py).

They ask for `session`: the engine suite's is a Session on a scratch database
(tests/engine/conftest.py), the web suite's a Session on the app's database
(tests/web/conftest.py), so one `world` serves both."""
import pytest

from engine.actor import Actor
from engine.models import Institution, User
from tests import factories


@pytest.fixture
def world(session) -> factories.World:
    """INSTITUTIONS and PEOPLE seeded (every password factories.PASSWORD)."""
    return factories.seed(session)


@pytest.fixture
def deployed(session) -> dict:
    """processes/ deployed: {process key: VersionInfo}."""
    return factories.deploy_processes(session)


@pytest.fixture
def people(session) -> dict[str, Actor]:
    """One institution and a user per role (and a second lawyer): {role: Actor}."""
    inst = Institution(name="测试律师事务所")
    session.add(inst)
    session.flush()
    users = {role: User(username=role, role=role, display_name=role,
                        institution_id=inst.id if role in ("lawyer", "staff") else None)
             for role in ("citizen", "lawyer", "staff", "duty_officer", "expert", "admin")}
    session.add_all(users.values())
    session.add(User(username="lawyer2", role="lawyer", display_name="lawyer2"))
    session.commit()
    actors = {role: Actor.of(u) for role, u in users.items()}
    actors["lawyer2"] = Actor.of(session.query(User).filter_by(username="lawyer2").one())
    return actors


@pytest.fixture
def login(client):
    """Log the test client in as a user (logging out whoever was): login("wang"),
    login("lawyer_wang"); the password defaults to the account's (factories.password_of)."""
    def as_user(username: str, password: str | None = None):
        factories.login(client, username, password)
        return client
    return as_user
