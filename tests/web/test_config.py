"""The settings of `web/config.py` (the README's table: tests/test_readme.py): each arrives
where it is used (rate-limit storage, limits, body size, token lifetime, gunicorn); a bad value
is refused by name. E-mail settings: tests/web/test_worker_cli.py; DATABASE_URL: every
front-door test."""
import os
import re
import runpy
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.request import urlopen

import pytest
import redis
from flask_babel import format_datetime

from web.config import GUNICORN_SETTINGS, SETTINGS

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379/0"


def test_each_variable_is_declared_once():
    names = [s.env for s in SETTINGS + GUNICORN_SETTINGS]
    assert len(names) == len(set(names))


def test_every_app_setting_lands_in_the_app_config(front_door, monkeypatch):
    samples = {"APP_ENV": "staging", "DATABASE_URL": front_door.database_url,
               "APP_TIMEZONE": "Asia/Urumqi", "RATELIMIT_STORAGE_URI": REDIS}
    expected = {}
    for setting in SETTINGS:
        by_type = {"flag": "yes", "integer": "4321", "number": "2.5"}
        raw = samples.get(setting.env) or by_type.get(setting.parse.__name__, f"x-{setting.env}")
        monkeypatch.setenv(setting.env, raw)
        expected[setting.config_key] = setting.parse(raw)
    config = front_door.app().config
    assert {key: config[key] for key in expected} == expected


@pytest.mark.parametrize("name, value", [("SMTP_PORT", "twenty-five"),
                                         ("SMTP_STARTTLS", "maybe"),
                                         ("MAX_CONTENT_LENGTH", "1MB")])
def test_a_bad_value_stops_the_command_line_with_its_name(front_door, monkeypatch, name,
                                                           value):
    monkeypatch.setenv(name, value)
    result = front_door.flask("worker", "--once")
    assert result.exit_code == 1
    assert f"Error: {name}='{value}': expected" in result.output


def test_production_with_mail_needs_the_site_address(front_door, monkeypatch):
    for name, value in {"APP_ENV": "production", "SMTP_HOST": "mail.fawang.test",
                        "AUDIT_KEY": "k" * 40}.items():
        monkeypatch.setenv(name, value)
    result = front_door.flask("worker", "--once")
    assert result.exit_code == 1 and "needs BASE_URL" in result.output
    monkeypatch.setenv("BASE_URL", "https://fawang.example.cn")
    assert front_door.app().config["SESSION_COOKIE_SECURE"] is True


def test_rate_limits_are_shared_through_RATELIMIT_STORAGE_URI(front_door, monkeypatch):
    """Two app processes (two gunicorn hosts) count one client's logins together in Redis."""
    front_door.create_schema()
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS)
    monkeypatch.setenv("LOGIN_RATE_LIMIT", "2/minute")
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"  # this run's client
    hosts = [front_door.app().test_client() for _ in range(2)]
    wrong = {"username": "nobody", "password": "wrong-password"}

    def login(client):
        return client.post("/api/v1/auth/token", json=wrong,
                           environ_base={"REMOTE_ADDR": address}).status_code

    assert [login(hosts[0]), login(hosts[1]), login(hosts[0])] == [401, 401, 429]
    stored = redis.Redis.from_url(REDIS)
    try:
        assert any(address in key.decode() for key in stored.scan_iter(match="*LIMITER*"))
    finally:
        stored.close()


def test_submit_rate_limit_and_body_size_and_token_lifetime(front_door, monkeypatch):
    front_door.create_schema()
    assert front_door.flask("users", "create", "zhang", "--role", "citizen",
                            "--password", "a-good-password").exit_code == 0
    monkeypatch.setenv("SUBMIT_RATE_LIMIT", "1/hour")
    monkeypatch.setenv("MAX_CONTENT_LENGTH", "2000")
    monkeypatch.setenv("API_TOKEN_MAX_AGE", "600")
    client = front_door.app().test_client()
    token = client.post("/api/v1/auth/token", json={"username": "zhang",
                                                    "password": "a-good-password"}).json
    assert token["expires_in"] == 600
    headers = {"Authorization": f"Bearer {token['token']}"}

    def submit(body, address="10.0.0.1"):
        return client.post("/api/v1/consultations", headers=headers, json=body,
                           environ_base={"REMOTE_ADDR": address}).status_code

    assert submit({}) != 429 and submit({}) == 429  # one an hour from this address
    assert submit({"question": "问" * 1000}, address="10.0.0.2") == 413


def test_SECRET_KEY_signs_the_api_tokens(front_door, monkeypatch):
    front_door.create_schema()
    assert front_door.flask("users", "create", "zhang", "--role", "citizen",
                            "--password", "a-good-password").exit_code == 0
    token = front_door.app().test_client().post("/api/v1/auth/token", json={
        "username": "zhang", "password": "a-good-password"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert front_door.app().test_client().get("/api/v1/me", headers=headers).status_code == 200
    monkeypatch.setenv("SECRET_KEY", "another-installation")
    assert front_door.app().test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_SESSION_COOKIE_SECURE_and_APP_TIMEZONE_reach_the_pages(front_door, monkeypatch):
    front_door.create_schema()
    cookie = front_door.app().test_client().get("/auth/login").headers["Set-Cookie"]
    assert "Secure" not in cookie
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "on")
    monkeypatch.setenv("APP_TIMEZONE", "UTC")
    app = front_door.app()
    assert "Secure" in app.test_client().get("/auth/login").headers["Set-Cookie"]
    with app.test_request_context():
        assert format_datetime(datetime(2026, 1, 1, 2, 30, tzinfo=UTC), "HH:mm") == "02:30"
    monkeypatch.delenv("APP_TIMEZONE")  # the default: Beijing time
    with front_door.app().test_request_context():
        assert format_datetime(datetime(2026, 1, 1, 2, 30, tzinfo=UTC), "HH:mm") == "10:30"


def test_gunicorn_reads_its_settings(monkeypatch):
    for name, value in {"HOST": "0.0.0.0", "PORT": "9000", "GUNICORN_WORKERS": "3",
                        "GUNICORN_THREADS": "2", "GUNICORN_ACCESSLOG": "",
                        "GUNICORN_TIMEOUT": "45", "GUNICORN_MAX_REQUESTS": "2000",
                        "FORWARDED_ALLOW_IPS": "10.0.0.5"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert (conf["bind"], conf["workers"], conf["threads"], conf["accesslog"], conf["timeout"],
            conf["max_requests"], conf["max_requests_jitter"], conf["forwarded_allow_ips"]) == (
        "0.0.0.0:9000", 3, 2, None, 45, 2000, 200, "10.0.0.5")
    assert conf["control_socket"] == str(ROOT / "instance" / "gunicorn.ctl")
    monkeypatch.setenv("GUNICORN_BIND", "unix:/run/fawang.sock")
    assert runpy.run_path(str(ROOT / "gunicorn.conf.py"))["bind"] == "unix:/run/fawang.sock"


def _start(tmp_path, **env) -> tuple[subprocess.Popen, int]:
    """Start gunicorn as an operator does (one worker, `env` on top); the process and port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
           "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
           "GUNICORN_ACCESSLOG": "", **env}
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                             "--no-control-socket", "web:create_app()"], cwd=ROOT, env=env,
                            stderr=subprocess.PIPE, text=True)
    return proc, port


def _answers(proc: subprocess.Popen, port: int) -> None:
    """One request, answered (a worker being booted or replaced takes a moment)."""
    for _ in range(300):
        try:
            assert urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).status == 200
            return
        except OSError:
            assert proc.poll() is None
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")


def _stop(proc: subprocess.Popen) -> str:
    proc.terminate()
    return proc.communicate(timeout=30)[1]


def _worker_boots(tmp_path, requests: int, **env) -> int:
    """How many workers gunicorn booted to answer `requests` requests."""
    proc, port = _start(tmp_path, **env)
    try:
        for _ in range(requests):
            _answers(proc, port)
    finally:
        log = _stop(proc)
    return log.count("Booting worker with pid")


def test_gunicorn_replaces_a_worker_after_gunicorn_max_requests(tmp_path):
    assert _worker_boots(tmp_path, 7, GUNICORN_MAX_REQUESTS="3") >= 2
    assert _worker_boots(tmp_path, 7) == 1  # the default: 50,000


def test_a_gunicorn_worker_keeps_the_loaded_app_out_of_garbage_collection(tmp_path):
    proc, port = _start(tmp_path)
    try:
        _answers(proc, port)
    finally:
        log = _stop(proc)
    [line] = [line for line in log.splitlines() if "kept out of garbage collection" in line]
    frozen = int(re.search(r": (\d+) objects loaded at start", line).group(1))
    assert frozen > 50_000  # the modules and the app, not a handful


def _pins(master: int, count: int) -> dict[int, set[int]]:
    """Worker pid -> the CPUs it may run on, once the master has `count` workers."""
    for _ in range(300):
        pids = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if len(pids) == count:
            return {int(pid): os.sched_getaffinity(int(pid)) for pid in pids}
        time.sleep(0.1)
    raise AssertionError(f"gunicorn did not reach {count} workers")


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs")
def test_gunicorn_pin_workers_keeps_each_worker_on_a_cpu_of_its_own(tmp_path):
    cpus = os.sched_getaffinity(0)
    proc, port = _start(tmp_path, GUNICORN_WORKERS="2", GUNICORN_PIN_WORKERS="1")
    try:
        _answers(proc, port)
        pins = _pins(proc.pid, 2)
        assert all(len(p) == 1 for p in pins.values()) and len(set().union(*pins.values())) == 2
        assert set().union(*pins.values()) <= cpus
        victim, held = next(iter(pins.items()))
        os.kill(victim, signal.SIGKILL)  # its replacement takes the CPU it leaves
        for _ in range(300):
            replaced = _pins(proc.pid, 2)
            if victim not in replaced:
                break
            time.sleep(0.1)
        [(_pid, cpu)] = [(p, c) for p, c in replaced.items() if p not in pins]
        assert cpu == held
        _answers(proc, port)
    finally:
        _stop(proc)
    proc, port = _start(tmp_path, GUNICORN_WORKERS="2")  # the default: anywhere
    try:
        _answers(proc, port)
        assert all(p == cpus for p in _pins(proc.pid, 2).values())
    finally:
        _stop(proc)
