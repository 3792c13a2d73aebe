"""Authorization matrix: every role x every endpoint (HTML and API) x own/foreign/missing ids.

One world, built once through the real diagrams:
- A: citizen_zhang's contract question, answered by lawyer_wang and flagged sensitive, so
  citizen_zhang has `rate_answer` (T_rate) and duty officers may claim `handle_sensitive`
  (T_duty);
- B: citizen_ma's property question, waiting for lawyer_li's `answer_consultation` (T_answer);
- C: citizen_ma's family question, given to lawyer_zhao, who was then disqualified: his
  `answer_consultation` (T_queued) waits in the duty officers' reassignment queue.
Standing: lawyer_zhao ("disqualified") keeps only his own record; duty_zhou ("inactive") was
disabled after logging in, and from then on is treated as a visitor who never logged in.
Requests that would succeed are made harmless (invalid form data, a claim undone at once), so
the cases do not depend on their order.
"""
import pytest

from engine.consultation import reassign
from engine.models import DISABLED, Base
from engine.oversight import supervision
from engine.people import users
from tests.drivers import Demo
from tests.factories import login
from web import create_app
from web.extensions import db

USERS = {
    "citizen": ("citizen_zhang", "demo-citizen-pass"),
    "other_citizen": ("citizen_ma", "demo-citizen-pass"),
    "lawyer": ("lawyer_wang", "demo-lawyer-pass"),
    "other_lawyer": ("lawyer_li", "demo-lawyer-pass"),
    "staff": ("staff_chen", "demo-staff-pass"),
    "duty_officer": ("duty_sun", "demo-duty-officer-pass"),
    "expert": ("expert_wu", "demo-expert-pass"),
    "supervisor": ("supervisor_feng", "demo-supervisor-pass"),
    "designer": ("designer_he", "demo-designer-pass"),
    "admin": ("admin", "demo-admin-pass"),
    "disqualified": ("lawyer_zhao", "demo-lawyer-pass"),
    "inactive": ("duty_zhou", "demo-duty-officer-pass"),
    "anonymous": (None, None),
}
ROLES = tuple(USERS)
LOGGED_OUT = ("inactive", "anonymous")
SEE_ALL = ("duty_officer", "supervisor", "admin")
INSTANCES = ("designer", "admin", "supervisor", "duty_officer")
BAD_FORM = {"data": {"no_such_field": 1}}


def _only(default: int, **by_role: int) -> dict:
    return {role: by_role.get(role, default) for role in ROLES}


def _html(default: int, **by_role) -> dict:
    """A login-only page: anonymous (and disabled) visitors are sent to the login form."""
    return {**_only(default, **by_role), **dict.fromkeys(LOGGED_OUT, 302)}


def _api(default: int, **by_role) -> dict:
    return {**_only(default, **by_role), **dict.fromkeys(LOGGED_OUT, 401)}

# (method, path, body, expected status per role). Path placeholders: {A} {B} {T_rate} ...
MATRIX = [
    # --- HTML pages ---
    ("GET", "/consultations/", None, _html(200)),
    ("GET", "/consultations/{A}", None, _html(404, citizen=200, lawyer=200,
                                               **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/consultations/{B}", None, _html(404, other_citizen=200, other_lawyer=200,
                                               **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/consultations/{C}", None, _html(404, other_citizen=200, disqualified=200,
                                               **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/consultations/999999", None, _html(404)),
    ("GET", "/consultations/new", None, _html(403, citizen=200, other_citizen=200)),
    ("POST", "/consultations/new", {"title": ""}, _html(403, citizen=422, other_citizen=422)),
    ("POST", "/consultations/{A}/tasks/{T_rate}", {}, _html(403, citizen=422,
                                                            other_citizen=404)),
    ("POST", "/consultations/{B}/tasks/{T_rate}", {}, _html(403, citizen=404,
                                                            other_citizen=404)),
    ("GET", "/consultations/{A}/complaint", None, _html(403, citizen=200, other_citizen=404)),
    ("POST", "/consultations/{A}/complaint", {}, _html(403, citizen=422, other_citizen=404)),
    ("GET", "/tasks/", None, _html(200)),
    ("GET", "/tasks/{T_rate}", None, _html(404, citizen=200, admin=200)),
    ("GET", "/tasks/{T_answer}", None, _html(404, other_lawyer=200, admin=200)),
    ("GET", "/tasks/{T_duty}", None, _html(404, duty_officer=200, admin=200)),
    ("GET", "/tasks/{T_queued}", None, _html(404, duty_officer=200, admin=200)),
    ("GET", "/tasks/no-such-task", None, _html(404)),
    ("POST", "/tasks/{T_rate}/complete", {}, _html(404, citizen=422, admin=403)),
    ("POST", "/tasks/{T_answer}/complete", {}, _html(404, other_lawyer=422, admin=403)),
    ("POST", "/tasks/{T_duty}/complete", {}, _html(404, duty_officer=422, admin=403)),
    ("POST", "/tasks/{T_queued}/complete", {}, _html(404, duty_officer=403, admin=403)),
    ("POST", "/tasks/{T_queued}/claim", {}, _html(404, duty_officer=403, admin=403)),
    ("POST", "/tasks/{T_answer}/claim", {}, _html(404, other_lawyer=303, admin=403)),
    ("POST", "/tasks/{T_duty}/claim", {}, _html(404, duty_officer=303, admin=403)),
    ("POST", "/tasks/{T_duty}/release", {}, _html(404, duty_officer=403, admin=403)),
    ("GET", "/tasks/{T_answer}/draft", None, _html(404, other_lawyer=200, admin=200)),
    ("PUT", "/tasks/{T_answer}/draft", {}, _html(404, other_lawyer=422, admin=403)),
    ("DELETE", "/tasks/{T_answer}/draft", None, _html(404, other_lawyer=204, admin=403)),
    ("GET", "/tasks/my-answers", None, _html(403, lawyer=200, other_lawyer=200, expert=200,
                                             disqualified=200)),  # their own record
    ("GET", "/manifest.webmanifest", None, _only(200)),
    ("GET", "/sw.js", None, _only(200)),
    ("GET", "/board/", None, _html(403, **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/board/?status=answered&page=2", None, _html(403, **dict.fromkeys(SEE_ALL, 200))),
    # --- designer and admin sections (role gates; their own tests cover the pages) ---
    ("GET", "/designer/", None, _html(403, designer=200, admin=200)),
    ("GET", "/designer/versions/999999", None, _html(403, designer=404, admin=404)),
    ("GET", "/designer/versions/999999/download", None, _html(403, designer=404, admin=404)),
    ("GET", "/designer/versions/999999/edit", None, _html(403, designer=404)),
    ("GET", "/designer/drafts/999999/edit", None, _html(403, designer=404)),
    ("POST", "/designer/drafts/999999/discard", {}, _html(403, designer=404)),
    ("POST", "/designer/api/validate", {}, _html(403, designer=422)),
    ("POST", "/designer/api/deploy", {}, _html(403, designer=422)),
    ("POST", "/designer/api/preview", {}, _html(403, designer=422)),
    ("POST", "/designer/upload", {}, _html(403, designer=422)),
    ("POST", "/designer/api/drafts", {}, _html(403, designer=422)),
    ("GET", "/designer/instances?id=999999", None, _html(403, **dict.fromkeys(INSTANCES, 302))),
    ("GET", "/designer/instances/999999", None, _html(403, **dict.fromkeys(INSTANCES, 404))),
    ("GET", "/admin/migrations", None, _html(403, admin=200)),
    ("POST", "/admin/instances/999999/rollback", {}, _html(403, admin=302)),  # flash, back
    ("POST", "/admin/api/dry-run", {}, _html(403, admin=422)),
    ("POST", "/admin/api/migrate", {}, _html(403, admin=422)),
    ("POST", "/admin/api/instances/999999/rollback", {}, _html(403, admin=422)),
    ("GET", "/admin/users", None, _html(403, admin=200)),
    ("POST", "/admin/users/999999/disable", {}, _html(403, admin=404)),
    ("POST", "/admin/users/999999/enable", {}, _html(403, admin=404)),
    ("POST", "/admin/users/999999/password", {}, _html(403, admin=404)),
    ("GET", "/admin/institutions", None, _html(403, admin=200)),
    ("POST", "/admin/institutions/999999/deactivate", {}, _html(403, admin=422)),  # no reason
    ("POST", "/admin/institutions/999999/deactivate", {"reason": "x"}, _html(403, admin=404)),
    ("POST", "/admin/institutions/999999/activate", {}, _html(403, admin=404)),
    # --- oversight: supervisors, reports, reassignment, incidents, notifications ---
    ("GET", "/supervise/consultations", None, _html(403, supervisor=200, admin=200)),
    ("GET", "/supervise/consultations/{A}", None, _html(403, supervisor=200, admin=200)),
    ("GET", "/supervise/consultations/999999", None, _html(403, supervisor=404, admin=404)),
    ("GET", "/supervise/audit", None, _html(403, supervisor=200, admin=200)),
    ("GET", "/supervise/lawyers", None, _html(403, supervisor=200, admin=200)),
    ("GET", "/supervise/lawyers/999999", None, _html(403, supervisor=404, admin=404)),
    ("POST", "/supervise/lawyers/999999/warn", {}, _html(403, supervisor=404)),
    ("GET", "/supervise/my-record", None, _html(403, lawyer=200, other_lawyer=200,
                                                disqualified=200)),
    ("GET", "/supervise/review", None, _html(403, supervisor=200)),
    ("POST", "/supervise/review/answer/999999", {}, _html(403, supervisor=422)),  # no reason
    ("GET", "/supervise/reports", None, _html(403, **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/supervise/reports.csv", None, _html(403, **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/ops/reassign", None, _html(403, duty_officer=200, admin=200)),
    ("POST", "/ops/reassign/no-such-task", {}, _html(403, duty_officer=404, admin=404)),
    ("POST", "/ops/reassign/{T_queued}", {}, _html(403, duty_officer=422, admin=422)),
    # only queued work is reassignable: a task someone holds is refused
    ("POST", "/ops/reassign/{T_answer}", {}, _html(403, duty_officer=403, admin=403)),
    ("GET", "/ops/incidents", None, _html(403, admin=200)),
    ("GET", "/ops/mail-failures", None, _html(403, admin=200)),
    ("POST", "/ops/incidents/999999/retry", {}, _html(403, admin=404)),
    ("GET", "/notifications/", None, _html(200)),
    ("GET", "/auth/me", None, _html(200)),
    ("POST", "/auth/me", {"display_name": ""}, _html(422)),  # refused: nothing changes
    # marking reads only ever touches the caller's own rows: another id is a harmless no-op
    ("POST", "/notifications/999999/read", {}, _html(303)),
    ("POST", "/notifications/read-all", {}, _html(303)),
    # --- JSON API ---
    ("GET", "/api/v1/me", None, _api(200)),
    ("GET", "/api/v1/consultations", None, _api(200)),
    ("POST", "/api/v1/consultations", {"title": ""}, _api(403, citizen=422, other_citizen=422)),
    ("GET", "/api/v1/consultations/{A}", None, _api(404, citizen=200, lawyer=200,
                                                     **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/api/v1/consultations/{B}", None, _api(404, other_citizen=200, other_lawyer=200,
                                                     **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/api/v1/consultations/{C}", None, _api(404, other_citizen=200, disqualified=200,
                                                     **dict.fromkeys(SEE_ALL, 200))),
    ("GET", "/api/v1/consultations/999999", None, _api(404)),
    ("GET", "/api/v1/tasks", None, _api(200)),
    ("GET", "/api/v1/notifications", None, _api(200)),
    # a notification is only ever its addressee's: another id is not found
    ("POST", "/api/v1/notifications/999999/read", None, _api(404)),
    ("POST", "/api/v1/notifications/read-all", None, _api(200)),
    ("GET", "/api/v1/processes/consultation/start-form", None, _api(200)),
    ("GET", "/api/v1/processes/no_such_process/start-form", None, _api(404)),
    ("GET", "/api/v1/tasks/{T_rate}", None, _api(404, citizen=200, admin=200)),
    ("GET", "/api/v1/tasks/{T_answer}", None, _api(404, other_lawyer=200, admin=200)),
    ("GET", "/api/v1/tasks/{T_duty}", None, _api(404, duty_officer=200, admin=200)),
    ("GET", "/api/v1/tasks/no-such-task", None, _api(404)),
    ("POST", "/api/v1/tasks/{T_rate}/complete", BAD_FORM, _api(404, citizen=422, admin=403)),
    ("POST", "/api/v1/tasks/{T_answer}/complete", BAD_FORM,
     _api(404, other_lawyer=422, admin=403)),
    ("POST", "/api/v1/tasks/{T_duty}/complete", BAD_FORM,
     _api(404, duty_officer=422, admin=403)),
    ("POST", "/api/v1/tasks/{T_answer}/claim", None, _api(404, other_lawyer=200, admin=403)),
    ("POST", "/api/v1/tasks/{T_duty}/claim", None, _api(404, duty_officer=200, admin=403)),
    ("POST", "/api/v1/tasks/{T_queued}/claim", None, _api(404, duty_officer=403, admin=403)),
    ("POST", "/api/v1/tasks/{T_duty}/release", None, _api(404, duty_officer=403, admin=403)),
]
CASES = [pytest.param(method, path, body, role, expected[role],
                      id=f"{method} {path} as {role}")
         for method, path, body, expected in MATRIX for role in ROLES]


@pytest.fixture(scope="module")
def matrix(database_url_factory):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": database_url_factory(),
                      "LOGIN_RATE_LIMIT": "100000/minute", "SUBMIT_RATE_LIMIT": "100000/minute"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
    demo = Demo(app)
    a = demo.submit("citizen_zhang", category="contract", title="合同纠纷")
    b = demo.submit("citizen_ma", category="property", title="物业纠纷")
    assert (demo.lawyer_of(a), demo.lawyer_of(b)) == ("lawyer_wang", "lawyer_li")
    c = demo.submit("citizen_ma", category="family", title="抚养费纠纷")
    assert demo.lawyer_of(c) == "lawyer_zhao"
    demo.answer(a, "请保留合同原件。", sensitive=True)
    cache = {}
    _client((app, {}, cache), "inactive")  # logged in (page and token) while still active
    with app.app_context():
        supervision.disqualify(db.session, demo.actor("supervisor_feng"),
                               demo.actor("lawyer_zhao").id, "在解答中招揽线下业务")
        users.set_status(db.session, demo.actor("duty_zhou").id, DISABLED)
    ids = {"A": a, "B": b, "C": c, "T_rate": demo.task("citizen_zhang", "rate_answer", a).id,
           "T_duty": demo.task("duty_sun", "handle_sensitive", a).id,
           "T_answer": demo.task("lawyer_li", "answer_consultation", b).id,
           "T_queued": _queued_task(app, demo, c)}
    yield app, ids, cache
    with app.app_context():
        db.session.remove()
        Base.metadata.drop_all(db.engine)
        db.engine.dispose()


def _queued_task(app, demo, consultation_id: int) -> str:
    """The task taken from the disqualified lawyer: in the duty officers' reassignment queue,
    not in anyone's inbox."""
    with app.app_context():
        [task] = [t for t in reassign.queued(db.session, demo.actor("duty_sun"))
                  if t.business_key == str(consultation_id)]
        return task.id


def _client(matrix, role: str):
    """A test client logged in as `role` (cookie session for pages, a token for the API)."""
    app, _ids, cache = matrix
    if role not in cache:
        client, (username, password) = app.test_client(), USERS[role]
        headers = {}
        if username:
            login(client, username, password)
            token = client.post("/api/v1/auth/token", json={"username": username,
                                                             "password": password})
            headers = {"Authorization": f"Bearer {token.json['token']}"}
        cache[role] = (client, headers)
    return cache[role]


def _call(client, method, path, body, headers):
    if path.startswith("/api/"):
        return client.open(path, method=method, json=body, headers=headers)
    return client.open(path, method=method, data=body)


@pytest.mark.parametrize("method,path,body,role,expected", CASES)
def test_authorization_matrix(matrix, method, path, body, role, expected):
    _app, ids, _cache = matrix
    client, headers = _client(matrix, role)
    url = path.format(**ids)
    response = _call(client, method, url, body, headers)
    assert response.status_code == expected, response.get_data(as_text=True)[:300]
    if role in LOGGED_OUT and expected == 302:
        assert "/auth/login" in response.headers["Location"]
    if url.startswith("/api/") and expected >= 400:
        assert response.json["error"] and response.json["message"]
    if url.endswith("/claim") and expected in (200, 303):  # undo, so later cases see the same world
        release = url.replace("/claim", "/release")
        assert _call(client, "POST", release, None, headers).status_code in (200, 303)


def test_matrix_covers_every_route(matrix):
    """A new route must be added to the matrix (static files and the public pages aside)."""
    app, ids, _cache = matrix
    urls = app.url_map.bind("localhost")
    covered = {urls.match(path.format(**ids).split("?")[0], method=method)[0]
               for method, path, _b, _e in MATRIX}
    # logout (tests/web/test_sessions.py) would end the sessions the matrix reuses
    public = ("/static", "/auth/", "/api/v1/openapi.json", "/api/v1/auth/token", "/healthz",
              "/language", "/api/v1/auth/logout", "/favicon.ico")
    for rule in app.url_map.iter_rules():
        if rule.rule == "/" or rule.rule.startswith(public):
            continue
        assert rule.endpoint in covered, f"{rule.rule} is not in the matrix"
