"""Production with several processes refuses per-process rate-limit counters; with Redis, two
server processes share one login count."""
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from sqlalchemy import create_engine

from engine.models import Base
from web import create_app

ROOT = Path(__file__).resolve().parents[2]
REDIS = "redis://127.0.0.1:6379"


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def _production_env(tmp_path, **extra) -> dict:
    env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": "a-real-production-secret",
           "AUDIT_KEY": "an-audit-chain-key-of-at-least-32-characters",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(ROOT),
           "GUNICORN_ACCESSLOG": "", "LOGIN_RATE_LIMIT": "4/minute", **extra}
    env.pop("WEB_CONCURRENCY", None)
    return env


def test_production_with_several_processes_refuses_memory_storage(app_config, monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("AUDIT_KEY", "an-audit-chain-key-of-at-least-32-characters")
    monkeypatch.setenv("GUNICORN_WORKERS", "2")
    monkeypatch.delenv("RATELIMIT_STORAGE_URI", raising=False)
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(app_config)
    monkeypatch.setenv("GUNICORN_WORKERS", "1")
    assert create_app(app_config).config["RATELIMIT_STORAGE_URI"] == "memory://"
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    monkeypatch.setenv("RATELIMIT_STORAGE_URI", REDIS)
    assert create_app(app_config).config["RATELIMIT_STORAGE_URI"] == REDIS


def test_gunicorn_refuses_to_start_with_two_workers_and_memory_storage(tmp_path):
    env = _production_env(tmp_path, GUNICORN_WORKERS="2", GUNICORN_BIND="127.0.0.1:0")
    env.pop("RATELIMIT_STORAGE_URI", None)
    done = subprocess.run([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                           "web:create_app()"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0
    assert "needs RATELIMIT_STORAGE_URI" in done.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def _server(env: dict):
    """One gunicorn process (one worker) on a free port; yields its URL."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                             "web:create_app()"], cwd=ROOT, stderr=subprocess.PIPE,
                            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                                 "GUNICORN_WORKERS": "1"})
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(20)


def _wrong_password(url: str) -> int:
    request = Request(f"{url}/api/v1/auth/token", data=b'{"username": "x", "password": "y"}',
                      headers={"Content-Type": "application/json"}, method="POST")
    try:
        return urlopen(request, timeout=10).status
    except HTTPError as error:
        return error.code


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_two_server_processes_share_the_login_count_in_redis(tmp_path):
    env = _production_env(tmp_path, RATELIMIT_STORAGE_URI=REDIS,
                          RATELIMIT_KEY_PREFIX=f"test-{uuid.uuid4().hex}")
    engine = create_engine(env["DATABASE_URL"])
    Base.metadata.create_all(engine)
    engine.dispose()
    with _server(env) as first, _server(env) as second:
        codes = [_wrong_password(url) for url in (first, second, first, second)]
        assert codes == [401, 401, 401, 401]  # 4/minute, counted once across both
        assert [_wrong_password(first), _wrong_password(second)] == [429, 429]
