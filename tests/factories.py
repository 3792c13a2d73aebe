"""What every suite (engine, web, browser) builds its tests from, each defined once: the sample
question, institutions and people, the deployed diagrams, consultations, a second consultation
version, and logging in (test client and browser). Fixtures on these: tests/fixtures.py; the
drivers that play consultations on the web app: tests/drivers.py."""
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.consultation import cases
from engine.models import (
    Consultation,
    HumanTask,
    Institution,
    Notification,
    ProcessInstance,
    ProcessVersion,
    User,
)
from engine.people import demo as people
from engine.people.passwords import hash_password
from engine.workflow import versions

ROOT = Path(__file__).resolve().parents[1]
PROCESSES = ROOT / "processes"
DATA = ROOT / "tests" / "data"
PASSWORD = "correct horse battery"  # every seeded user's password

# The sample question a citizen asks (the start form of consultation.bpmn).
QUESTION = {"title": "公司拖欠工资", "question": "公司三个月没发工资，我该怎么办？",
            "category": "labor", "case_status": "none", "vulnerable": False,
            "contact_phone": "13900001111", "district": "东城区"}

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


@cache
def password_hash() -> str:
    """PASSWORD's hash, made once: seeding sets it without hashing per user."""
    return hash_password(PASSWORD)


@dataclass
class World:
    """The seeded institutions and people: world["wang"] is an Actor, world.id("wang") an id."""

    institutions: dict[str, int]
    users: dict[str, int]
    actors: dict[str, Actor]

    def __getitem__(self, username: str) -> Actor:
        return self.actors[username]

    def id(self, username: str) -> int:
        return self.users[username]

    def username(self, user_id: int) -> str:
        return next(name for name, uid in self.users.items() if uid == user_id)


def seed(session: Session) -> World:
    """Insert INSTITUTIONS and PEOPLE (password PASSWORD) and commit; users are created in
    PEOPLE order (ids break ties)."""
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
                    email=f"{username}@example.org", password_hash=password_hash())
        session.add(user)
        session.flush()
        users[username], actors[username] = user.id, Actor.of(user)
    session.commit()
    return World(institutions, users, actors)


def deploy_processes(session: Session) -> dict[str, versions.VersionInfo]:
    """processes/ deployed; its versions by process key."""
    return {v.key: v for v in versions.deploy(session, [PROCESSES])}


def submit(session: Session, world: World, citizen: str = "citizen1", **changes) -> int:
    """The sample question (with `changes`) submitted by `citizen`; the consultation id."""
    return cases.submit(session, world[citizen], {**QUESTION, **changes}).id


def instance_of(session: Session, consultation_id: int) -> int:
    """The id of a consultation's process instance."""
    return session.scalar(select(ProcessInstance.id).where(
        ProcessInstance.business_key == str(consultation_id)).order_by(ProcessInstance.id))


def add_consultation(session: Session, world: World, category: str = "labor",
                     citizen: str = "citizen1", **kw) -> Consultation:
    """A consultation row without a process, for helper tests."""
    row = Consultation(citizen_id=world.id(citizen), title=kw.pop("title", QUESTION["title"]),
                       question=kw.pop("question", QUESTION["question"]),
                       category=category, contact_phone=QUESTION["contact_phone"], **kw)
    session.add(row)
    session.commit()
    return row


def notes(session: Session, user_id: int) -> list[Notification]:
    """A user's notifications, oldest first."""
    return session.scalars(select(Notification).where(Notification.user_id == user_id)
                           .order_by(Notification.id)).all()


def give_open_tasks(session: Session, user_id: int, count: int) -> None:
    """`count` ready inbox tasks assigned to the user, on an instance of a dummy process."""
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


QUALITY_CHECK = """
    <bpmn:userTask id="quality_check" name="解答质量抽查" camunda:candidateGroups="duty_officer">
      <bpmn:incoming>flow_gw_held_gw_published</bpmn:incoming>
      <bpmn:outgoing>flow_quality_check_gw_published</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="flow_quality_check_gw_published" sourceRef="quality_check"
                       targetRef="gw_published" />
"""


def consultation_v2(v1: str) -> str:
    """consultation.bpmn with a quality check: gw_held -> quality_check (duty officer) ->
    gw_published, and the answer task renamed."""
    text = v1.replace('sourceRef="gw_held" targetRef="gw_published"',
                      'sourceRef="gw_held" targetRef="quality_check"')
    text = text.replace("<bpmn:incoming>flow_gw_held_gw_published</bpmn:incoming>",
                        "<bpmn:incoming>flow_quality_check_gw_published</bpmn:incoming>")
    lane = '<bpmn:lane id="Lane_consultation_3" name="值班人员">'
    text = text.replace(lane, lane + "<bpmn:flowNodeRef>quality_check</bpmn:flowNodeRef>")
    text = text.replace('name="解答咨询"', 'name="解答咨询（5小时内）"')
    return text.replace("</bpmn:process>", QUALITY_CHECK + "</bpmn:process>", 1)


def deploy_consultation_v2(session: Session, v1: versions.VersionInfo, reason: str = "质量抽查"):
    """Deploy consultation_v2 of version `v1`'s files; the new consultation VersionInfo."""
    files = dict(versions.version_of(session, v1.id).files)
    files["consultation.bpmn"] = consultation_v2(files["consultation.bpmn"])
    [v2] = [i for i in versions.deploy(session, files, reason=reason) if i.key == "consultation"]
    return v2


def login(client, username: str, password: str | None = None):
    """Log a Flask test client in (whoever was logged in is logged out first); the password
    defaults to the account's (password_of)."""
    client.post("/auth/logout")
    response = client.post("/auth/login", data={
        "username": username, "password": password or password_of(username)})
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    return response


def log_in_page(page, base_url: str, username: str, password: str | None = None) -> None:
    """Log a browser page in through the login form (the password as for `login`)."""
    page.goto(f"{base_url}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password or password_of(username))
    with page.expect_navigation():
        page.click("main button[type=submit]")


JSON = {"Accept": "application/json"}  # what the pages' fetch() calls send
# Roles that are neither designers nor administrators (refused by the designer and admin pages).
OTHER_ROLES = ("citizen", "lawyer", "staff", "duty_officer", "expert", "supervisor")


def api(client, url: str, body):
    """POST a JSON body as the pages' fetch() calls do."""
    return client.post(url, json=body, headers=JSON)



def demo_password(username: str) -> str:
    """The documented password of a demo account (`flask seed-demo`), else PASSWORD."""
    role = next((r for u, r, *_ in people.DEMO_USERS if u == username), None)
    return people.demo_password(role) if role else PASSWORD


def password_of(username: str) -> str:
    """PASSWORD for the seeded PEOPLE and made users, the documented one for a demo account
    ("admin" is both: its demo password must be given explicitly)."""
    return PASSWORD if username in PEOPLE else demo_password(username)
