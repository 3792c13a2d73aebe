"""`flask --app web worker --once`: one sweep through the real app's command line."""
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import select

from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.models import Base, ProcessInstance
from engine.workflow import instances, versions
from web import worker_cli

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


def test_smtp_settings_come_from_the_app_config():
    assert worker_cli.smtp_config({"SMTP_HOST": ""}) is None
    config = worker_cli.smtp_config({"SMTP_HOST": "mail.example.org", "SMTP_PORT": "587",
                                     "SMTP_USERNAME": "fw", "SMTP_PASSWORD": "pw",
                                     "SMTP_STARTTLS": "true", "MAIL_FROM": "法网 <a@b.cn>"})
    assert (config.host, config.port, config.username, config.password, config.starttls,
            config.mail_from) == ("mail.example.org", 587, "fw", "pw", True, "法网 <a@b.cn>")
    legacy = worker_cli.smtp_config({"SMTP_HOST": "m", "SMTP_USER": "u", "SMTP_FROM": "x@y.cn"})
    assert (legacy.username, legacy.mail_from, legacy.port) == ("u", "x@y.cn", 25)
