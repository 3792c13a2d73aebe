"""Through HTTP: a designer deploys a diagram whose script never ends; the person whose step
runs it gets a clear 422 within seconds, the server answers the next request, and the instance
waits at /ops/incidents. A too frequent timer cycle is refused at deploy, naming the element."""
import time
from pathlib import Path

from engine.actor import Actor
from engine.people import users
from engine.workflow import instances, limits
from tests.web.conftest import PASSWORD
from web import create_app
from web.extensions import db

DATA = Path(__file__).resolve().parents[1] / "data"
JSON = {"Accept": "application/json"}
NO_HANG = 30  # seconds: far above the budgets (2 s a script, 5 s a step)


def deploy(client, name: str):
    files = {name: (DATA / name).read_text(encoding="utf-8")}
    return client.post("/designer/api/deploy", json={"files": files, "reason": "测试"},
                       headers=JSON)


def token(client, username: str) -> dict:
    answer = client.post("/api/v1/auth/token", json={"username": username,
                                                     "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.json['token']}"}


def test_a_script_that_never_ends_answers_422_and_becomes_an_incident(app, client, auth,
                                                                       make_user, capsys):
    make_user("designer1", "designer")
    make_user("citizen1", "citizen")
    make_user("admin1", "admin")
    auth.login("designer1")
    assert deploy(client, "runaway_loop.bpmn").status_code == 200
    with app.app_context():
        iid = instances.start(db.session, "runaway_loop", {}, Actor.system()).id
    citizen = token(client, "citizen1")
    [task] = client.get("/api/v1/tasks", headers=citizen).json
    began = time.monotonic()
    answer = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {}},
                         headers=citizen)
    took = time.monotonic() - began
    with capsys.disabled():
        print(f"\nwhile True over HTTP: {answer.status_code} in {took:.2f} s: "
              f"{answer.json['message']}")
    assert took < NO_HANG
    assert answer.status_code == 422 and answer.json["error"] == "script_limit_exceeded"
    assert "“spin”" in answer.json["message"] and "转为故障" in answer.json["message"]
    assert client.get("/api/v1/tasks", headers=citizen).status_code == 200  # still serving
    auth.logout()
    auth.login("admin1")
    page = client.get("/ops/incidents").get_data(as_text=True)
    assert f"/ops/incidents/{iid}/retry" in page
    assert "steps of work" in page or "time limit" in page  # whichever budget came first


def test_an_english_reader_is_told_in_english(app, client, auth, make_user):
    make_user("designer1", "designer")
    uid = make_user("citizen_en", "citizen")
    with app.app_context():
        users.set_locale(db.session, uid, "en")
    auth.login("designer1")
    assert deploy(client, "runaway_loop.bpmn").status_code == 200
    with app.app_context():
        instances.start(db.session, "runaway_loop", {}, Actor.system())
    citizen = token(client, "citizen_en")
    [task] = client.get("/api/v1/tasks", headers=citizen).json
    answer = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {}},
                         headers=citizen).json
    assert answer["message"].startswith("The process step “spin” went over its limits: A ")
    assert answer["message"].endswith(
        ". The process instance is now failed and waits for an administrator.")


def test_a_timer_cycle_without_pause_is_refused_at_deploy(client, auth, make_user):
    make_user("designer1", "designer")
    auth.login("designer1")
    answer = deploy(client, "tight_cycle.bpmn")
    assert answer.status_code == 422 and answer.json["error"] == "bundle_invalid"
    [problem] = answer.json["problems"]
    assert problem["element"] == "every_instant"
    assert "more often than the minimum of 60 s" in problem["reason"]


def test_the_limits_come_from_the_environment(app_config, monkeypatch):
    env = {"SCRIPT_TIME_LIMIT": "1.5", "STEP_TIME_LIMIT": "4", "MAX_ENGINE_STEPS": "300",
           "SCRIPT_MAX_WORK": "5000", "SCRIPT_MAX_ITEMS": "2000",
           "SCRIPT_MAX_STRING": "3000", "TIMER_CYCLE_MINIMUM": "120"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    before = limits.current()
    try:
        create_app(app_config)
        now = limits.current()
        assert (now.script_seconds, now.step_seconds, now.max_engine_steps) == (1.5, 4, 300)
        assert (now.max_work, now.max_items, now.max_string) == (5000, 2000, 3000)
        assert now.timer_cycle_minimum == 120
    finally:
        limits.configure(**before.__dict__)
