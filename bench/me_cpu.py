"""`GET /api/v1/me` in-process: the web stack's CPU per request without an HTTP server.

The app on a scratch SQLite file (or `--db URL`, e.g. a scratch PostgreSQL database), the demo
users seeded, one lawyer's token; the request goes through the WSGI app as gunicorn would call
it. Prints the best of `--rounds` rounds of `-n` requests (CPU time of this process, database
client included), to set beside `bench/http_bench.py`'s figure, which adds gunicorn's own cost.

    python bench/me_cpu.py [--db URL] [-n 1000] [--rounds 12]
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.test import EnvironBuilder  # noqa: E402

from engine.models import Base  # noqa: E402
from engine.people import demo  # noqa: E402
from web import create_app  # noqa: E402
from web.extensions import db  # noqa: E402


def request_once(app, token: str):
    environ = EnvironBuilder(path="/api/v1/me", headers={
        "Authorization": f"Bearer {token}", "Accept-Language": "zh-CN,zh;q=0.9"}).get_environ()

    def start_response(status, _headers, _exc=None):
        if not status.startswith("200"):
            raise SystemExit(f"GET /api/v1/me answered {status}")

    def once() -> None:
        body = app(dict(environ), start_response)
        b"".join(body)
        body.close()
    return once


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    ap.add_argument("-n", type=int, default=1000, help="requests per round")
    ap.add_argument("--rounds", type=int, default=12)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.db or f"sqlite:///{tmp}/me.db"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                          "LOGIN_RATE_LIMIT": "100000/minute"})
        with app.app_context():
            Base.metadata.create_all(db.engine)
            demo.seed_demo(db.session)
        token = app.test_client().post("/api/v1/auth/token", json={
            "username": "lawyer_wang", "password": "demo-lawyer-pass"}).json["token"]
        once = request_once(app, token)
        for _ in range(200):  # warm: pools, caches, the first compilations
            once()
        best = float("inf")
        for _ in range(args.rounds):
            began = time.process_time()
            for _ in range(args.n):
                once()
            best = min(best, (time.process_time() - began) / args.n * 1000)
        kind = url.split(":", 1)[0].split("+")[0]
        print(f"me_in_process_cpu_ms_{kind}: {best:.3f} (best of {args.rounds} x {args.n}; "
              "gunicorn adds its own)")
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
