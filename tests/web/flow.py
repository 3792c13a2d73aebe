"""Drive consultations through the real engine and diagrams, for web tests' set-up.

The demo users (`flask seed-demo`) and the deployed `processes/`; each step is one engine use
case, as a page or an API call would make it.
"""
from pathlib import Path

from sqlalchemy import select

from engine.actor import Actor
from engine.consultation import cases as consultations
from engine.models import Consultation, User
from engine.people import users
from engine.workflow import tasks, versions
from web.extensions import db

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
QUESTION = {"title": "工资被拖欠", "question": "公司三个月没发工资，怎么办？", "category": "labor",
            "case_status": "none", "vulnerable": False, "contact_phone": "13912345678",
            "district": "朝阳区"}


class Demo:
    """The demo world inside one app: look people up, submit, find and complete tasks."""

    def __init__(self, app, processes: Path = PROCESSES):
        self.app = app
        with app.app_context():
            users.seed_demo(db.session)
            versions.deploy(db.session, [processes])

    def actor(self, username: str) -> Actor:
        with self.app.app_context():
            return self._actor(username)

    @staticmethod
    def _actor(username: str) -> Actor:
        actor = Actor.of(db.session.scalar(select(User).where(User.username == username)))
        db.session.rollback()  # a read: hold no SQLite lock into the next use case
        return actor

    def submit(self, citizen: str = "citizen_zhang", **fields) -> int:
        with self.app.app_context():
            return consultations.submit(db.session, self._actor(citizen),
                                        {**QUESTION, **fields}).id

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
