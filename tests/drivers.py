"""Drivers that play consultations through the engine on the web app, for web and browser
tests: Play for the seeded PEOPLE (tests/factories.py), Demo for the demo accounts; and a
version's files as the app reads them."""
from pathlib import Path

from sqlalchemy import select

from engine.actor import Actor
from engine.consultation import cases
from engine.models import Consultation, HumanTask, User
from engine.people import demo as people
from engine.workflow import tasks, versions
from tests.factories import PROCESSES, QUESTION, World, submit
from web.extensions import db


class Play:
    """Consultations played through the engine on the web app's session (inside an app
    context), as the pages would call the use cases, by the seeded PEOPLE."""

    def __init__(self, world: World):
        self.world = world

    def submit(self, citizen: str = "citizen1", **changes) -> int:
        return submit(db.session, self.world, citizen, **changes)

    def task(self, cid: int, key: str = "answer_consultation") -> HumanTask:
        return db.session.scalar(select(HumanTask).where(
            HumanTask.business_key == str(cid), HumanTask.bpmn_id == key,
            HumanTask.state == "ready"))

    def holder(self, cid: int) -> str:
        """The username of whoever holds the consultation's answer task."""
        return self.world.username(self.task(cid).assignee_id)

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


class Demo:
    """The demo accounts (`flask seed-demo`) and processes/ inside one app, each step one
    engine use case in its own app context: look people up, submit, find and complete tasks."""

    def __init__(self, app, processes: Path = PROCESSES):
        self.app = app
        with app.app_context():
            people.seed_demo(db.session)
            versions.deploy(db.session, [processes])

    def actor(self, username: str) -> Actor:
        with self.app.app_context():
            return self._actor(username)

    @staticmethod
    def _actor(username: str) -> Actor:
        actor = Actor.of(db.session.scalar(select(User).where(User.username == username)))
        db.session.rollback()  # a read: hold no SQLite lock into the next use case
        return actor

    def submit(self, citizen: str = "citizen_zhang", **changes) -> int:
        with self.app.app_context():
            return cases.submit(db.session, self._actor(citizen), {**QUESTION, **changes}).id

    def lawyer_of(self, cid: int) -> str:
        with self.app.app_context():
            lawyer_id = db.session.get(Consultation, cid).lawyer_id
            return db.session.get(User, lawyer_id).username

    def task(self, username: str, key: str, cid: int):
        """The one open `key` task of `username` on consultation `cid`."""
        with self.app.app_context():
            found = [t for t in tasks.tasks_for_user(db.session, self._actor(username))
                     if t.key == key and t.business_key == str(cid)]
        assert len(found) == 1, f"{username} has no single {key} task on #{cid}"
        return found[0]

    def complete(self, username: str, key: str, cid: int, **data) -> str:
        task = self.task(username, key, cid)
        with self.app.app_context():
            tasks.complete(db.session, task.id, self._actor(username), data)
        return task.id

    def answer(self, cid: int, text: str = "可申请劳动仲裁。", **extra) -> str:
        """The assigned lawyer answers; returns the lawyer's username."""
        lawyer = self.lawyer_of(cid)
        self.complete(lawyer, "answer_consultation", cid, decision="answer", answer_text=text,
                      **extra)
        return lawyer


def files_of(version_id: int) -> dict[str, str]:
    """A deployed version's files (in the web app's current app context)."""
    return dict(versions.version_of(db.session, version_id).files)
