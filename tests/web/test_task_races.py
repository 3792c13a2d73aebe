"""Races through the API answer 409, never 500 (PostgreSQL, where requests really overlap)."""
import threading
from pathlib import Path

import pytest

from engine.actor import Actor
from engine.workflow import instances, runtime, tasks, versions
from web.extensions import db

DIAGRAM = Path(__file__).resolve().parents[1] / "data" / "parallel_pair.bpmn"
TRIALS = 20


@pytest.fixture
def pair(app, make_user, api_headers):
    """Starts instances with a staff member's and a lawyer's task open at once."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("SQLite serializes writers; these races need PostgreSQL")
    people = {role: make_user(f"race_{role}", role) for role in ("staff", "lawyer")}
    with app.app_context():
        versions.deploy(db.session, [DIAGRAM])
    headers = {role: api_headers(f"race_{role}") for role in people}

    def start() -> dict[str, str]:
        with app.app_context():
            started = instances.start(db.session, "parallel_pair", {}, Actor.system()).id
            found = {}
            for role, user_id in people.items():
                actor = Actor(user_id, role, None)
                found[role] = next(t.id for t in tasks.tasks_for_user(db.session, actor)
                                   if t.instance_id == started)
            return found
    return start, headers


def test_parallel_tasks_completed_at_the_same_moment_give_200_and_409(app, pair,
                                                                      monkeypatch):
    start, headers = pair
    app.config["PROPAGATE_EXCEPTIONS"] = False  # an unhandled error answers 500, as deployed
    barrier = threading.Barrier(2, timeout=20)
    real_advance = runtime.advance_if_due

    def advance_then_wait_for_the_other(loaded):
        real_advance(loaded)
        barrier.wait()  # both requests hold the same revision, advanced, before either saves

    monkeypatch.setattr(runtime, "advance_if_due", advance_then_wait_for_the_other)
    counts = {200: 0, 409: 0, 500: 0}
    for _ in range(TRIALS):
        open_tasks, statuses = start(), []

        def complete(role, task_id, statuses=statuses):
            response = app.test_client().post(f"/api/v1/tasks/{task_id}/complete",
                                              json={"data": {}}, headers=headers[role])
            statuses.append(response.status_code)

        threads = [threading.Thread(target=complete, args=item) for item in open_tasks.items()]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        for status in statuses:
            counts[status] = counts.get(status, 0) + 1
        assert sorted(statuses) == [200, 409], statuses
    print(f"\n{TRIALS} trials: {counts[200]} × 200, {counts[409]} × 409, {counts[500]} × 500")
    assert counts == {200: TRIALS, 409: TRIALS, 500: 0}
