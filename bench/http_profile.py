"""Where a request's time goes: consultations through the API in-process, under cProfile.

Same calls as bench/http_bench.py (submit, read, inbox, open task, answer, rate) through
Flask's test client, so the profile shows the web layer and the engine without the network.

    python bench/http_profile.py [--db URL] [-n 100] [--sort tottime]
"""
import argparse
import cProfile
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.models import Base  # noqa: E402
from engine.people import demo  # noqa: E402
from engine.workflow import versions  # noqa: E402
from web import create_app  # noqa: E402
from web.extensions import db  # noqa: E402

LAWYERS = {"王律师": "lawyer_wang", "李律师": "lawyer_li", "赵律师": "lawyer_zhao"}


def setup(url: str):
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "profile",
                      "LOGIN_RATE_LIMIT": "100000/minute", "SUBMIT_RATE_LIMIT": "100000/minute"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
        demo.seed_demo(db.session)
        versions.deploy(db.session, [ROOT / "processes"])
    client = app.test_client()

    def token(username: str, password: str) -> dict:
        body = client.post("/api/v1/auth/token", json={"username": username,
                                                      "password": password}).json
        return {"Authorization": f"Bearer {body['token']}"}
    citizen = token("citizen_zhang", "demo-citizen-pass")
    lawyers = {name: token(user, "demo-lawyer-pass") for name, user in LAWYERS.items()}
    return client, citizen, lawyers


def cycle(client, citizen, lawyers, rate: bool = True) -> None:
    """One consultation: submitted, read, answered, and (`rate`) rated, which ends it."""
    cid = client.post("/api/v1/consultations", headers=citizen, json={
        "title": "加班费", "question": "公司不支付加班费怎么办？", "category": "labor",
        "case_status": "none", "contact_phone": "13900000000"}).json["id"]
    lawyer = lawyers[client.get(f"/api/v1/consultations/{cid}", headers=citizen).json["lawyer"]]
    task = next(t for t in client.get("/api/v1/tasks", headers=lawyer).json
                if t["consultation_id"] == cid)
    revision = client.get(f"/api/v1/tasks/{task['id']}", headers=lawyer).json["revision"]
    assert client.post(f"/api/v1/tasks/{task['id']}/complete", headers=lawyer, json={
        "data": {"decision": "answer", "answer_text": "可申请劳动仲裁。"},
        "revision": revision}).status_code == 200
    if not rate:  # it waits for the citizen's rating, as most answered ones do for days
        return
    rate = next(t for t in client.get("/api/v1/tasks", headers=citizen).json
                if t["consultation_id"] == cid)
    assert client.post(f"/api/v1/tasks/{rate['id']}/complete", headers=citizen,
                       json={"data": {"satisfied": True}}).status_code == 200


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=None, help="database URL (default: a temp SQLite file)")
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--sort", default="cumulative")
    ap.add_argument("--lines", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        client, citizen, lawyers = setup(args.db or f"sqlite:///{tmp}/profile.db")
        for _ in range(5):
            cycle(client, citizen, lawyers)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        for _ in range(args.n):
            cycle(client, citizen, lawyers)
        profiler.disable()
        wall = time.perf_counter() - start
    print(f"{args.n} consultations, 8 requests and 2 completions each: "
          f"{wall / args.n * 1000:.1f} ms per consultation, "
          f"{wall / args.n / 8 * 1000:.2f} ms per request (one thread, profiler on)")
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
