"""Fixtures for the designer and admin pages: the real processes/ deployed, a seeded world of
lawyers and duty officers, consultations waiting in it, and a consultation v2."""
import pytest
from sqlalchemy import select

from engine.consultation import cases as consultations
from engine.models import ProcessInstance
from engine.workflow import versions
from tests.engine.workflow.test_migration_consultation import v2_text
from tests.factories import PROCESSES, seed
from web.extensions import db

QUESTION = {"title": "公司拖欠工资", "question": "公司三个月没发工资，我该怎么办？",
            "category": "labor", "case_status": "none", "vulnerable": False,
            "contact_phone": "13900001111", "district": "东城区"}
JSON = {"Accept": "application/json"}  # what the pages' fetch() calls send
OTHER_ROLES = ("citizen", "lawyer", "staff", "duty_officer", "expert", "supervisor")


def api(client, url: str, body):
    """POST a JSON body as the pages' fetch() calls do."""
    return client.post(url, json=body, headers=JSON)


def files_of(version_id: int) -> dict[str, str]:
    return dict(versions.version_of(db.session, version_id).files)


def instance_of(consultation_id: int) -> int:
    return db.session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.business_key == str(consultation_id)))


@pytest.fixture
def deployed(app):
    """The seeded world and consultation v1 (the VersionInfo)."""
    with app.app_context():
        world = seed(db.session)
        [v1] = [i for i in versions.deploy(db.session, [PROCESSES]) if i.key == "consultation"]
    return world, v1


@pytest.fixture
def waiting(app, deployed):
    """Two consultations waiting for their lawyer on v1, then v2 (a quality check) deployed.
    Returns (v1, v2, [instance ids])."""
    world, v1 = deployed
    with app.app_context():
        ids = [instance_of(consultations.submit(db.session, world["citizen1"], QUESTION).id)
               for _ in range(2)]
        files = files_of(v1.id)
        files["consultation.bpmn"] = v2_text(files["consultation.bpmn"])
        [v2] = [i for i in versions.deploy(db.session, files, reason="质量抽查")
                if i.key == "consultation"]
    return v1, v2, ids


@pytest.fixture
def login_as(make_user, auth):
    """Log the test client in as a new user with this role."""
    def login(role: str) -> int:
        user_id = make_user(f"{role}_user", role)
        auth.login(f"{role}_user")
        return user_id
    return login
