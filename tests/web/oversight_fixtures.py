"""A seeded world on the web app: the real processes/ deployed, every user with a password,
and helpers that play consultations through the engine."""
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.consultation import cases as consultations
from engine.models import HumanTask
from engine.people import users
from engine.workflow import tasks, versions
from tests.factories import PEOPLE, seed
from tests.web.conftest import PASSWORD
from web.extensions import db

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
QUESTION = {"title": "公司拖欠工资", "question": "公司三个月没发工资，我该怎么办？",
            "category": "labor", "case_status": "none", "vulnerable": False,
            "contact_phone": "13900001111", "district": "东城区"}


class Play:
    """Engine use cases on the app's session, as the web would call them."""

    def __init__(self, world):
        self.world = world

    def submit(self, citizen: str = "citizen1", **fields) -> int:
        return consultations.submit(db.session, self.world[citizen], {**QUESTION, **fields}).id

    def task(self, cid: int, key: str = "answer_consultation") -> HumanTask:
        return db.session.scalar(select(HumanTask).where(
            HumanTask.business_key == str(cid), HumanTask.bpmn_id == key,
            HumanTask.state == "ready"))

    def holder(self, cid: int) -> str:
        """The username of whoever holds the consultation's answer task."""
        user_id = self.task(cid).assignee_id
        return next(name for name, uid in self.world.users.items() if uid == user_id)

    def answer(self, cid: int, text: str = "建议向劳动争议仲裁委员会申请仲裁。",
               **extra) -> str:
        who = self.holder(cid)
        tasks.complete(db.session, self.task(cid).id, self.world[who],
                       {"decision": "answer", "answer_text": text, **extra})
        return who

    def rate(self, cid: int, satisfied: bool, comment: str = "") -> None:
        task = self.task(cid, "rate_answer")
        tasks.complete(db.session, task.id, self.world["citizen1"],
                       {"satisfied": satisfied, "feedback_comment": comment,
                        "wants_referral": False})


@pytest.fixture
def world(app):
    """The tests/engine world with passwords, and processes/ deployed."""
    with app.app_context():
        w = seed(db.session)
        for username in PEOPLE:
            users.set_password(db.session, w.id(username), PASSWORD)
        versions.deploy(db.session, [PROCESSES])
        yield w


@pytest.fixture
def play(world) -> Play:
    return Play(world)


@pytest.fixture
def login(client, auth):
    """Log in as a world user (logging out whoever was logged in first)."""
    def as_user(username: str):
        auth.logout()
        response = auth.login(username)
        assert response.status_code == 302, response.data.decode()[:500]
        return client
    return as_user
