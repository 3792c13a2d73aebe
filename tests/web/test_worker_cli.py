"""`flask --app web worker --once`: timers fired, and e-mail delivered to a real SMTP server
(aiosmtpd) exactly as the documented settings say: sender, link host, STARTTLS, login."""
import os
import re
import shutil
import socket
import sqlite3
import ssl
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import time_machine
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.models import Base, Notification, ProcessInstance
from engine.workflow import instances, versions
from tests.factories import QUESTION

ROOT = Path(__file__).resolve().parents[2]
DIAGRAM = ROOT / "tests" / "data" / "timer_only.bpmn"  # a 7-day timer


def test_worker_once_fires_due_timers_and_exits(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    sessions = make_sessionmaker(url)
    Base.metadata.create_all(sessions.kw["bind"])
    with sessions() as s, time_machine.travel(datetime.now(UTC) - timedelta(days=8)):
        versions.deploy(s, [DIAGRAM])
        overdue = instances.start(s, "timer_only", {}, Actor.system()).id
    with sessions() as s:
        waiting = instances.start(s, "timer_only", {}, Actor.system()).id

    env = dict(os.environ, DATABASE_URL=url, SMTP_HOST="")
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "worker", "--once"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "1 instances fired" in done.stderr
    with sessions() as s:
        status = dict(s.execute(select(ProcessInstance.id, ProcessInstance.status)).all())
    assert status == {overdue: "completed", waiting: "running"}


def test_the_running_worker_copies_sqlites_log_into_the_database_file(tmp_path):
    """Requests leave SQLite's write-ahead log to the worker: once it has swept, the database
    file alone (what copying the file backs up) holds every committed row, while the worker
    and everyone else keep their connections (closing the last one would copy it anyway)."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    sessions = make_sessionmaker(url)  # its pooled connection stays open meanwhile
    Base.metadata.create_all(sessions.kw["bind"])
    with sessions() as s:
        versions.deploy(s, [DIAGRAM])
        started = instances.start(s, "timer_only", {}, Actor.system()).id

    def in_the_file_alone() -> list | None:
        shutil.copy(tmp_path / "cli.db", tmp_path / "copy.db")
        with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
            try:
                return [i for (i,) in copy.execute("SELECT id FROM process_instance")]
            except sqlite3.OperationalError:  # not even the table: all of it is in the log
                return None

    assert not in_the_file_alone()  # committed, in the log only
    env = dict(os.environ, DATABASE_URL=url, SMTP_HOST="")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "web", "worker"],
                              cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not in_the_file_alone() and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert worker.poll() is None, worker.communicate()[1]  # still running, still connected
        assert in_the_file_alone() == [started]
    finally:
        worker.terminate()
        worker.communicate(timeout=30)
        sessions.kw["bind"].dispose()


# --- e-mail ------------------------------------------------------------------------------

@dataclass
class Mailbox:
    """What an aiosmtpd server was sent, and how the client talked to it."""

    messages: list = field(default_factory=list)
    logins: list = field(default_factory=list)  # (mechanism, username, password)

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.messages.append((msg, session.ssl is not None))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((mechanism, login, password))
        return AuthResult(success=(login, password) == ("fawang", "smtp-pass-123"))


@pytest.fixture
def smtp_server():
    """Start aiosmtpd servers: `smtp_server(**kwargs)` → (mailbox, port)."""
    controllers = []

    def start(**kwargs):
        box = Mailbox()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        if kwargs.pop("authenticate", False):
            kwargs["authenticator"] = box.authenticate
        controller = Controller(box, hostname="127.0.0.1", port=port, **kwargs)
        controller.start()
        controllers.append(controller)
        return box, port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def assigned(front_door):
    """A consultation submitted through the API: its lawyer has a notification to e-mail."""
    front_door.create_schema()
    for args in (("deploy", str(ROOT / "processes")), ("seed-demo",)):
        assert front_door.flask(*args).exit_code == 0
    client = front_door.app().test_client()
    token = client.post("/api/v1/auth/token", json={"username": "citizen_zhang",
                                                    "password": "demo-citizen-pass"}).json
    created = client.post("/api/v1/consultations", json=QUESTION,
                          headers={"Authorization": f"Bearer {token['token']}"})
    assert created.status_code == 201, created.json
    return created.json["id"]


def lawyer_mail(box: Mailbox):
    [(msg, tls)] = [(m, tls) for m, tls in box.messages if m["To"] == "lawyer_wang@example.org"]
    return msg, tls


def email_statuses(front_door) -> set[str]:
    sessions = make_sessionmaker(front_door.database_url)
    with sessions() as session:
        statuses = set(session.scalars(select(Notification.email_status)))
    sessions.kw["bind"].dispose()
    return statuses


def test_mail_comes_from_MAIL_FROM_with_links_to_BASE_URL(front_door, assigned, smtp_server,
                                                          monkeypatch):
    box, port = smtp_server()
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("MAIL_FROM", "北京法网 <notices@fawang.test>")
    monkeypatch.setenv("BASE_URL", "https://fawang.test/")
    result = front_door.flask("worker", "--once")
    assert result.exit_code == 0, result.output
    msg, tls = lawyer_mail(box)
    assert msg["From"].addresses[0].addr_spec == "notices@fawang.test"
    assert msg["From"].addresses[0].display_name == "北京法网"
    # the lawyer's notice leads to the new task itself
    assert re.search(r"\n\nhttps://fawang\.test/tasks/[0-9a-f-]{36}\n$", msg.get_content())
    assert f"编号 {assigned}" in msg.get_content()
    assert msg["Message-ID"].endswith("@fawang.test>")
    assert not tls and box.logins == []
    assert email_statuses(front_door) == {"sent"}


def test_starttls_and_login_when_the_server_demands_them(front_door, assigned, smtp_server,
                                                         monkeypatch, tmp_path):
    ca = trustme.CA()
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_tls)
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    box, port = smtp_server(tls_context=server_tls, require_starttls=True, auth_required=True,
                            auth_require_tls=True, authenticate=True,
                            auth_exclude_mechanism=["PLAIN"])
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port),
                        "SMTP_STARTTLS": "1", "SMTP_USERNAME": "fawang",
                        "SMTP_PASSWORD": "smtp-pass-123", "BASE_URL": "https://fawang.test",
                        }.items():
        monkeypatch.setenv(name, value)

    # Without SMTP_CA_FILE the private authority is not trusted: nothing is sent in clear.
    assert front_door.flask("worker", "--once").exit_code == 0
    assert box.messages == [] and box.logins == []
    assert email_statuses(front_door) == {"pending"}

    monkeypatch.setenv("SMTP_CA_FILE", str(tmp_path / "ca.pem"))
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=5)):  # the retry is due
        assert front_door.flask("worker", "--once").exit_code == 0
    msg, tls = lawyer_mail(box)
    assert tls and re.search(r"https://fawang\.test/tasks/[0-9a-f-]{36}", msg.get_content())
    assert box.logins and set(box.logins) == {("LOGIN", "fawang", "smtp-pass-123")}
    assert email_statuses(front_door) == {"sent"}


def test_a_missing_SMTP_CA_FILE_stops_the_worker_at_once(front_door, monkeypatch, tmp_path):
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_STARTTLS": "1",
                        "SMTP_CA_FILE": str(tmp_path / "missing.pem")}.items():
        monkeypatch.setenv(name, value)
    result = front_door.flask("worker", "--once")
    assert result.exit_code == 1
    assert f"SMTP_CA_FILE='{tmp_path / 'missing.pem'}': no such file" in result.output
