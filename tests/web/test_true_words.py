"""Every page of every role, in Chinese and in English, shows words and never raw keys.

One world walked through the real diagrams (consultations answered, refused, delegated, with the
expert group, called back, referred, closed, held for a supervisor; a lawyer warned; a migration
and a rollback), then every GET page of the app's url_map with real ids, as each demo user, in
both languages. The visible text (HTML data, not scripts, styles, attributes or <code>) must hold
no snake_case key and no bare key of the engine; Chinese pages no English word outside a list of
names; English pages no Chinese outside what the database or the diagrams hold (people's data).
"""
import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from engine.models import Base, ProcessInstance, ProcessVersion, User
from engine.oversight import supervision
from engine.people.demo import DEMO_USERS, demo_password
from engine.workflow import migration, versions
from tests.drivers import Demo
from tests.factories import PROCESSES as ENGINE_PROCESSES
from tests.factories import consultation_v2
from web import create_app
from web.extensions import db

COURT = "可以拨打朝阳区人民法院诉讼服务电话 010-65612345 查询立案进度。"
SKIP = {"script", "style", "code", "kbd", "pre", "textarea", "template"}
# Names and technical terms a Chinese page may show as they are.
NAMES = {"BPMN", "DMN", "API", "CSV", "ID", "XML", "SLA", "JSON", "English", "PostgreSQL",
         "SQLite", "SMTP", "URL", "SVG", "PNG", "Token", "OpenAPI", "DC", "XC", "Camunda",
         "FEEL", "Python", "APP", "zip", "Modeler", "bpmn", "dmn"}
SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
WORD = re.compile(r"[A-Za-z]{2,}")
CJK = re.compile(r"[\u3400-\u9fff]")
URLISH = re.compile(r"\S+@\S+|https?://\S+|/[\w/.\-?=&]+")
BPMN_TEXT = re.compile(r'(?:name|label)="([^"]*)"|<bpmn:documentation>([^<]*)<', re.S)


class _Text(HTMLParser):
    """The text a person sees: HTML data outside scripts, styles and code."""

    def __init__(self):
        super().__init__()
        self.skipping, self.chunks = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.chunks.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks


def _strings(value, out: set) -> None:
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, out)


def data_strings() -> list[str]:
    """What people and diagrams wrote (every string stored, every diagram name and label),
    longest first: such text is shown as written, in either language."""
    found: set = set()
    for table in Base.metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            _strings(list(row), found)
    for text in list(found):
        if "<bpmn:" in text:
            found.update(part.strip() for pair in BPMN_TEXT.findall(text) for part in pair)
    # Process keys and file names are technical names, like usernames.
    names = {u for u, *_ in DEMO_USERS}
    for version in db.session.scalars(select(ProcessVersion)):
        names |= {version.key, *version.files}
    db.session.rollback()
    found |= names
    return sorted({s for s in found if len(s) >= 2 and (CJK.search(s) or s in names
                                                       or "@" in s)}, key=len, reverse=True)


def _without(text: str, data: list[str]) -> str:
    for item in data:
        if item in text:
            text = text.replace(item, " ")
    return URLISH.sub(" ", text)


def problems(html: str, lang: str, data: list[str], keys: set[str]) -> list[str]:
    """The raw keys and wrong-language words in a page's visible text."""
    found = []
    for chunk in visible_text(html):
        rest = _without(chunk, data)
        found += [f"raw key {k!r} in {chunk!r}" for k in SNAKE.findall(rest)]
        if rest.strip() in keys:
            found.append(f"raw key {rest.strip()!r}")
        if lang == "zh":
            found += [f"English {w!r} in {chunk!r}" for w in WORD.findall(SNAKE.sub(" ", rest))
                      if w not in NAMES]
        elif CJK.search(rest) and rest.strip() != "中文":
            found.append(f"Chinese in {chunk!r}")
    return found


@pytest.fixture(scope="module")
def world(database_url_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": database_url_factory(),
                      "LOGIN_RATE_LIMIT": "100000/minute", "SUBMIT_RATE_LIMIT": "100000/minute"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
    demo = Demo(app)
    _walk(app, demo)
    yield app, demo
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


def _walk(app, demo: Demo) -> None:
    """Consultations in every state a person meets, and the oversight acts around them."""
    labor = dict(category="labor")
    waiting = demo.submit(**labor, title="等待律师")                       # assigned
    demo.submit("citizen_ma", category="family", title="家事咨询")        # lawyer_li's
    answered = demo.submit(**labor, title="已答复待评价", vulnerable=True)
    demo.answer(answered, sensitive=True, attention=True)                 # rate + duty reports
    refused = demo.submit(**labor, title="不予解答")
    demo.complete(demo.lawyer_of(refused), "answer_consultation", refused, decision="refuse",
                  refuse_reason="请向劳动争议仲裁委员会咨询。")         # waits for review
    delegated = demo.submit(**labor, title="委托起草")
    lawyer = demo.lawyer_of(delegated)
    colleague = {"lawyer_wang": "staff_chen", "lawyer_zhao": "staff_liu"}[lawyer]
    with app.app_context():
        staff = db.session.scalar(select(User.id).where(User.username == colleague))
    demo.complete(lawyer, "answer_consultation", delegated, decision="delegate",
                  delegate_to=staff)                                       # staff drafts
    expert = demo.submit(**labor, title="专家审阅")
    demo.complete(demo.lawyer_of(expert), "answer_consultation", expert,
                  decision="expert_review", answer_text="初步意见：可以申请劳动仲裁。")
    with app.app_context():
        wu = db.session.scalar(select(User.id).where(User.username == "expert_wu"))
    demo.complete("duty_sun", "assign_expert", expert, expert_id=wu)     # expert reviews
    callback = demo.submit(**labor, title="不满意回访")
    demo.answer(callback)
    demo.complete("citizen_zhang", "rate_answer", callback, satisfied=False,
                  feedback_comment="没有回答我的问题")                  # duty officer calls back
    referral = demo.submit(**labor, title="线下委托")
    demo.answer(referral)
    demo.complete("citizen_zhang", "rate_answer", referral, satisfied=True,
                  feedback_comment="很清楚", wants_referral=True)
    demo.complete("duty_sun", "arrange_referral", referral, arrange_notes="已确认")
    closed = demo.submit(**labor, title="已结束")
    demo.answer(closed)
    demo.complete("citizen_zhang", "rate_answer", closed, satisfied=True,
                  feedback_comment="谢谢律师")
    held = demo.submit(**labor, title="待监督员发布")
    demo.answer(held, COURT, keep_flagged=True)                          # supervisor releases
    with app.app_context():
        wang = db.session.scalar(select(User.id).where(User.username == "lawyer_wang"))
        supervision.warn(db.session, demo._actor("supervisor_feng"), wang, "答复过于简单",
                         consultation_id=closed)
        files = dict(versions.version_of(db.session, versions.latest_version(
            db.session, "consultation").id).files)
        v1 = versions.latest_version(db.session, "consultation").id
        files["consultation.bpmn"] = consultation_v2(files["consultation.bpmn"])
        [v2] = [i for i in versions.deploy(db.session, files, reason="质量抽查")
                if i.key == "consultation"]
        moved = [db.session.scalar(select(ProcessInstance.id).where(
            ProcessInstance.business_key == str(cid))) for cid in (waiting, expert)]
        admin = demo._actor("admin")
        migration.migrate(db.session, v1, v2.id, moved, admin, "质量抽查")
        migration.rollback(db.session, moved[0], admin, "抽查结束")


def _pages(app, username: str) -> list[str]:
    """Every GET page of the HTML app, with the world's real ids put in."""
    from engine.workflow import tasks

    with app.app_context():
        actor = Demo._actor(username)
        ids = {
            "consultation_id": [c for (c,) in db.session.execute(select(
                ProcessInstance.business_key).where(ProcessInstance.process_key
                                                    == "consultation"))],
            "task_id": [t.id for t in tasks.tasks_for_user(db.session, actor)],
            "instance_id": db.session.scalars(select(ProcessInstance.id)).all(),
            "version_id": db.session.scalars(select(ProcessVersion.id)).all(),
            "lawyer_id": db.session.scalars(select(User.id).where(User.role == "lawyer")).all(),
            "draft_id": [],
        }
        db.session.rollback()
        pages = []
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")) \
                    or rule.endpoint in ("main.healthz", "designer.download",
                                         "supervisor.report_csv"):
                continue
            if not rule.arguments:
                pages.append(rule.rule)
                continue
            [arg] = rule.arguments
            pages += [re.sub(r"<[^>]+>", str(value), rule.rule) for value in ids[arg]]
    return pages


LOGINS = [(username, demo_password(role)) for username, role, *_ in DEMO_USERS] + [(None, None)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_speaks_one_language_without_raw_keys(world, lang):
    app, _demo = world
    with app.app_context():
        data = data_strings()
        keys = _keys()
    pages, found = 0, []
    for username, password in LOGINS:
        client = app.test_client()
        if username:
            assert client.post("/auth/login", data={"username": username,
                                                    "password": password}).status_code == 302
        client.post("/language", data={"lang": lang, "next": "/"})
        for path in _pages(app, username) if username else ["/", "/auth/login",
                                                             "/auth/register"]:
            response = client.get(path)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            pages += 1
            found += [f"{username} {path}: {p}" for p in problems(response.text, lang, data,
                                                                  keys)]
    print(f"\n{lang}: {pages} pages rendered, {len(found)} problems")
    assert pages > 150
    assert not found, "\n".join(_grouped(found))


def _grouped(found: list[str]) -> list[str]:
    """One line per distinct problem, with the pages (ids folded) where it shows."""
    where: dict = {}
    for line in found:
        who, path, problem = line.split(" ", 2)
        where.setdefault(problem[1:].strip(), set()).add(re.sub(r"\d+", "N", path))
    return [f"{problem}  @ {sorted(paths)[:3]}" for problem, paths in sorted(where.items())]


def _keys() -> set[str]:
    """Bare keys of the engine: audit actions, statuses, task and diagram ids."""
    from engine.consultation.status import Status
    from engine.models import AuditEvent

    keys = {s.value for s in Status} | set(db.session.scalars(select(AuditEvent.action)))
    for path in ENGINE_PROCESSES.glob("*.bpmn"):
        keys |= set(re.findall(r'<bpmn:\w+ id="([a-z_]+)"', path.read_text(encoding="utf-8")))
    db.session.rollback()
    return {k for k in keys if k}


def test_visible_text_skips_scripts_attributes_and_code():
    html = ('<p title="raw_key">已答复 <code>answer_consultation</code></p>'
            '<script>var lawyer_warned = 1;</script><td>lawyer_warned</td>')
    assert visible_text(html) == ["已答复", "lawyer_warned"]
    assert problems(html, "zh", [], {"start"}) == ["raw key 'lawyer_warned' in 'lawyer_warned'"]
    assert problems("<td>start</td><p>Answered</p>", "zh", [], {"start"}) == [
        "raw key 'start'", "English 'start' in 'start'", "English 'Answered' in 'Answered'"]
    assert problems("<p>已答复</p><p>王律师</p>", "en", ["王律师"], set()) == [
        "Chinese in '已答复'"]


def test_csv_report_speaks_the_pages_language(client, auth, demo):
    demo.answer(demo.submit())
    auth.login("supervisor_feng", "demo-supervisor-pass")
    url = "/supervise/reports.csv?group_by={}"
    header = client.get(url.format("lawyer")).data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("编号,分组,咨询数,已答复,已到答复期限,时限内答复,")
    client.post("/language", data={"lang": "en", "next": "/"})
    lines = client.get(url.format("all")).data.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Group,Consultations,Answered,Due,Answered in time,")
    assert lines[1].startswith("All,1,1,1,1,")
