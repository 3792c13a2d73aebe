"""A small seeded world: two resident institutions, lawyers, staff, duty officers, experts."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.models import (
    Consultation,
    HumanTask,
    Institution,
    Notification,
    ProcessInstance,
    ProcessVersion,
    User,
)

INSTITUTIONS = {"east": ("东城律师事务所", True), "west": ("西城法律服务所", True),
                "gone": ("已停驻机构", False)}
# username: (role, display name, institution, categories, status)
PEOPLE = {
    "wang": ("lawyer", "王律师", "east", ["labor", "family"], "active"),
    "li": ("lawyer", "李律师", "east", ["contract"], "active"),
    "zhao": ("lawyer", "赵律师", "west", ["labor"], "active"),
    "sun": ("lawyer", "孙律师", "west", ["family", "property"], "active"),
    "qian": ("lawyer", "钱律师", "east", ["labor", "criminal"], "disqualified"),
    "zhou": ("lawyer", "周律师", "gone", ["labor", "criminal"], "active"),
    "chen": ("staff", "陈助理", "east", [], "active"),
    "liu": ("staff", "刘助理", "west", [], "active"),
    "wu": ("staff", "吴助理", "east", [], "disabled"),
    "duty1": ("duty_officer", "值班员甲", None, [], "active"),
    "duty2": ("duty_officer", "值班员乙", None, [], "active"),
    "expert1": ("expert", "资深律师专家", None, ["labor"], "active"),
    "expert2": ("expert", "公证员专家", None, [], "active"),
    "supervisor": ("supervisor", "监督员", None, [], "active"),
    "admin": ("admin", "管理员", None, [], "active"),
    "citizen1": ("citizen", "张三", None, [], "active"),
    "citizen2": ("citizen", "李四", None, [], "active"),
}


@dataclass
class World:
    institutions: dict[str, int]
    users: dict[str, int]
    actors: dict[str, Actor]

    def __getitem__(self, username: str) -> Actor:
        return self.actors[username]

    def id(self, username: str) -> int:
        return self.users[username]


def seed(session: Session) -> World:
    """Insert the world and commit; users are created in PEOPLE order (ids break ties)."""
    institutions = {}
    for key, (name, active) in INSTITUTIONS.items():
        row = Institution(name=name, active=active)
        session.add(row)
        session.flush()
        institutions[key] = row.id
    actors, users = {}, {}
    for username, (role, name, inst, categories, status) in PEOPLE.items():
        user = User(username=username, role=role, display_name=name, categories=categories,
                    institution_id=institutions[inst] if inst else None, status=status,
                    email=f"{username}@example.org")
        session.add(user)
        session.flush()
        users[username], actors[username] = user.id, Actor.of(user)
    session.commit()
    return World(institutions, users, actors)


def add_consultation(session: Session, world: World, category: str = "labor",
                     citizen: str = "citizen1", **kw) -> Consultation:
    """A consultation row without a process, for helper tests."""
    row = Consultation(citizen_id=world.id(citizen), title=kw.pop("title", "拖欠工资怎么办"),
                       question=kw.pop("question", "公司拖欠三个月工资，我该怎么办？"),
                       category=category, contact_phone="13800000000", **kw)
    session.add(row)
    session.commit()
    return row


def notes(session, user_id):
    return session.scalars(select(Notification).where(Notification.user_id == user_id)
                           .order_by(Notification.id)).all()


def give_open_tasks(session, user_id, count):
    version = ProcessVersion(key="x", number=1, files={}, checksum="x")
    session.add(version)
    session.flush()
    instance = ProcessInstance(version_id=version.id, process_key="x", state=b"")
    session.add(instance)
    session.flush()
    for n in range(count):
        session.add(HumanTask(id=f"t{user_id}-{n}", instance_id=instance.id, bpmn_id="t",
                              role="lawyer", assignee_id=user_id, state="ready"))
    session.commit()
