"""HTTP benchmark: the app under gunicorn (2 workers) on PostgreSQL and on SQLite.

For each database: a fresh database (`flask init-db`, `deploy processes/`, `seed-demo`, one
citizen per client), gunicorn started from gunicorn.conf.py, then N concurrent clients each
running consultations through the API (submit, lawyer answers, citizen rates). Prints task
completions per second, p50/p95 per endpoint, where the CPU went, and the time of a lawyer's
inbox with 100,000 open tasks in the database (engine call and GET /api/v1/tasks).

    python bench/http_bench.py [--db both|postgres|sqlite] [--clients 20] [--per-client 10]
                               [--no-pin]

gunicorn runs with GUNICORN_PIN_WORKERS on (each worker kept on a CPU of its own), the setting
for a machine that serves this app; `--no-pin` leaves the workers to the scheduler.
"""
import argparse
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import inbox_load  # noqa: E402
from bench.cpu import CpuMeter  # noqa: E402
from bench.engine_bench import STEPS, Bare  # noqa: E402
from bench.http_clients import Api, Stats, login, run_clients, run_floor  # noqa: E402
from engine.db import make_sessionmaker  # noqa: E402
from engine.people import users  # noqa: E402
from tools.scratch_db import scratch_database  # noqa: E402

PG = os.environ.get("TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BIN = Path(sys.executable).parent
LAWYERS = {"王律师": "lawyer_wang", "李律师": "lawyer_li", "赵律师": "lawyer_zhao"}


@contextmanager
def database(kind: str):
    """A fresh, empty database URL of `kind`, dropped afterwards."""
    with scratch_database("sqlite" if kind == "sqlite" else "postgresql", PG,
                          prefix="fw_http") as url:
        yield url


def environment(url: str, port: int, workers: int, pin: bool) -> dict:
    return {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-" + uuid.uuid4().hex,
            "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": str(workers),
            "GUNICORN_PIN_WORKERS": "1" if pin else "0",
            "GUNICORN_ACCESSLOG": "", "LOGIN_RATE_LIMIT": "100000/minute",
            "SUBMIT_RATE_LIMIT": "100000/minute", "FLASK_APP": "web"}


def prepare(env: dict, url: str, clients: int) -> list[tuple[str, str]]:
    """Schema through Alembic, the diagrams, demo users and one citizen per client."""
    for args in (["init-db"], ["deploy", "processes/"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
    Session = make_sessionmaker(url)
    citizens = []
    with Session() as s:
        for n in range(clients):
            name = f"bench_citizen_{n}"
            users.create_user(s, name, "citizen", password="bench-password-1")
            citizens.append((name, "bench-password-1"))
    Session.kw["bind"].dispose()
    return citizens


@contextmanager
def gunicorn(env: dict, port: int, app: str = "web:create_app()"):
    # No control socket: it would replace the one of a server running from this checkout.
    proc = subprocess.Popen([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py",
                             "--no-control-socket", app], cwd=ROOT, env=env)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        proc.wait(20)


def machine_speed(lifecycles: int = 40) -> float:
    """Bare SpiffWorkflow's ms per completion on engine_bench's diagram, best of 4 rounds: the
    machine's speed at that moment (it drifts by half within minutes on shared hardware), to
    read the figures beside."""
    bare = Bare()
    best = min(sum(bare.lifecycle() for _ in range(lifecycles // 4)) for _ in range(4))
    return best / (lifecycles // 4) / len(STEPS) * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench(kind: str, args) -> None:
    print(f"\n--- {kind}: gunicorn {args.workers} workers x "
          f"{os.environ.get('GUNICORN_THREADS', 4)} threads"
          f"{', each pinned to a CPU' if args.pin else ', not pinned'}, {args.clients} clients "
          f"x {args.per_client} consultations ---", flush=True)
    port = free_port()
    with database(kind) as url:
        env = environment(url, port, args.workers, args.pin)
        citizens = prepare(env, url, args.clients)
        with gunicorn(env, port) as server:
            stats = Stats()
            start = time.perf_counter()
            lawyer_tokens = {name: login(port, stats, user, "demo-lawyer-pass")
                             for name, user in LAWYERS.items()}
            tokens = [(u, login(port, stats, u, p)) for u, p in citizens]
            print(f"logins: {len(tokens) + 3} in {time.perf_counter() - start:.2f} s "
                  "(argon2 hashing; outside the timed run)")
            meter = CpuMeter(server.pid)
            wall = run_clients(port, tokens, lawyer_tokens, 1, Stats())  # warm-up
            speed = machine_speed()
            stats = Stats()
            meter.start()
            wall = run_clients(port, tokens, lawyer_tokens, args.per_client, stats)
            cpu = meter.stop()
            print(f"machine speed: bare SpiffWorkflow {speed:.2f} ms per completion before the "
                  f"run, {machine_speed():.2f} after (bench/engine_bench.py's diagram)")
            report(kind, stats, wall, cpu)
            me = floor_report(kind, port, [t for _u, t in tokens], wall, stats, server.pid)
            server_report(kind, env, [t for _u, t in tokens], me)
            print(f"filling {args.inbox_tasks:,} open tasks ...", flush=True)
            inbox_load.fill(url, args.inbox_tasks, "lawyer_wang")
            p50, p95, rows = inbox_load.time_engine(url, "lawyer_wang")
            print(f"inbox, engine.tasks.tasks_for_user: p50 {p50:.2f} ms, p95 {p95:.2f} ms "
                  f"({rows} rows of {args.inbox_tasks:,} open)")
            print(f"inbox_{kind}_p50_ms_at_{args.inbox_tasks}: {p50:.2f} (target < 20)")
            api = Api(port, Stats(), lawyer_tokens["王律师"])
            p50, p95, rows = inbox_load.time_http(api)
            print(f"inbox, GET /api/v1/tasks:          p50 {p50:.2f} ms, p95 {p95:.2f} ms "
                  f"({rows} rows)")


def report(kind: str, stats: Stats, wall: float, cpu: dict) -> None:
    rate = stats.completions / wall
    print(f"task completions: {stats.completions} in {wall:.2f} s")
    target = " (target >= 60)" if kind == "postgres" else ""
    print(f"http_{kind}_completions_per_s: {rate:.1f}{target}")
    print(f"{'endpoint':<32}{'calls':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for label, count, p50, p95 in stats.table():
        print(f"{label:<32}{count:>7}{p50:>9.1f}{p95:>9.1f}")
    used = ", ".join(f"{k} {v:.1f} s" for k, v in cpu.items())
    print(f"CPU seconds during the run ({wall:.1f} s wall x {os.cpu_count()} cores): {used}")
    consultations = max(stats.completions // 2, 1)
    print("CPU per consultation (8 requests, 2 completions): " + ", ".join(
        f"{k} {v / consultations * 1000:.0f} ms" for k, v in cpu.items()))
    if stats.errors:
        print(f"{len(stats.errors)} failed consultations, e.g. {stats.errors[0]}")


def floor_report(kind: str, port: int, tokens: list[str], wall: float, run: Stats,
                 pid: int) -> None:
    """The same server answering only GET /api/v1/me: the ceiling of the web stack."""
    stats, meter = Stats(), CpuMeter(pid)
    meter.start()
    seconds = run_floor(port, tokens, 5.0, stats)
    cpu = meter.stop()
    calls = sum(len(v) for v in stats.samples.values())
    requests = sum(len(v) for v in run.samples.values())
    per_request = cpu["gunicorn"] / calls * 1000
    print(f"web stack alone (GET /api/v1/me, same server and clients): {calls / seconds:.0f} "
          f"requests/s, {per_request:.2f} ms gunicorn CPU per request; the consultation run "
          f"made {requests / wall:.0f} requests/s ({requests / max(run.completions, 1):.0f} per "
          f"completion), so the web stack alone would allow "
          f"{calls / seconds * run.completions / requests:.0f} completions/s")
    target = " (target <= 0.8)" if kind == "postgres" else ""
    print(f"http_{kind}_me_cpu_ms_per_request: {per_request:.2f}{target}")
    return per_request


def server_report(kind: str, env: dict, tokens: list[str], me: float) -> None:
    """gunicorn alone: the same settings and clients, a trivial WSGI app answering like /me
    (bench/trivial_wsgi.py). What a request costs before any of our code runs, so /me's
    figure splits into the server's share and the app's."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    with gunicorn(env, port, "bench.trivial_wsgi:app") as server:
        run_floor(port, tokens, 1.0, Stats())  # warm-up
        stats, meter = Stats(), CpuMeter(server.pid)
        meter.start()
        seconds = run_floor(port, tokens, 5.0, stats)
        cpu = meter.stop()
    calls = sum(len(v) for v in stats.samples.values())
    floor = cpu["gunicorn"] / calls * 1000
    print(f"gunicorn alone (a trivial WSGI app, same settings and clients): "
          f"{calls / seconds:.0f} requests/s, {floor:.2f} ms gunicorn CPU per request, so "
          f"the app's share of /me under load is {me - floor:.2f} ms")
    print(f"http_{kind}_server_floor_ms_per_request: {floor:.2f} (no target: for /me's)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", choices=("both", "postgres", "sqlite"), default="both")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=10, help="consultations per client")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--pin", action=argparse.BooleanOptionalAction, default=True,
                    help="GUNICORN_PIN_WORKERS (the setting for a machine serving this app)")
    ap.add_argument("--inbox-tasks", type=int, default=100_000)
    args = ap.parse_args()
    for kind in (("postgres", "sqlite") if args.db == "both" else (args.db,)):
        bench(kind, args)


if __name__ == "__main__":
    main()
