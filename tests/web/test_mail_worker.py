"""The worker's e-mail through the real app: a citizen's title with a line break cannot stop
it, and a message the server refuses for good is shown to administrators while the next is
delivered. A real SMTP conversation (aiosmtpd) and the real `flask worker` command."""
import os
import signal
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, update

from engine.models import Consultation, Notification, User
from tests.engine.notifications.test_outbox import free_port
from tests.factories import QUESTION
from web.extensions import db

ROOT = Path(__file__).resolve().parents[2]
GONE = "gone@example.org"


class Mailbox:
    """Keeps what it is sent; refuses GONE permanently at RCPT, as a real server would."""

    def __init__(self):
        self.received = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == GONE:
            return "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.received.append((envelope.rcpt_tos, msg))
        return "250 OK"

    def wait_for(self, count: int, worker: subprocess.Popen, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while len(self.received) < count:
            assert worker.poll() is None, f"the worker exited: {worker.communicate()[1]}"
            assert time.monotonic() < deadline, f"{len(self.received)} of {count} e-mails"
            time.sleep(0.1)


@pytest.fixture
def mailbox():
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def submit(client, auth, citizen: str, title: str) -> int:
    auth.login(citizen, "demo-citizen-pass")
    response = client.post("/consultations/new", data={**QUESTION, "title": title})
    assert response.status_code == 303, response.text
    auth.logout()
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def lawyer_email(app, cid: int) -> str:
    with app.app_context():
        return db.session.scalar(select(User.email).join(
            Consultation, Consultation.lawyer_id == User.id).where(Consultation.id == cid))


def test_a_title_with_a_line_break_is_mailed_clean_and_the_worker_keeps_going(
        app, client, auth, demo, mailbox):
    first = submit(client, auth, "citizen_zhang", "工资被拖欠\r\nBcc: everyone@example.org")
    env = dict(os.environ, DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               SECRET_KEY=app.config["SECRET_KEY"], AUDIT_KEY=app.config["AUDIT_KEY"],
               SMTP_HOST="127.0.0.1", SMTP_PORT=str(mailbox.port), MAIL_FROM="noreply@fw.test")
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "web", "worker",
                               "--poll-interval", "0.5"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        mailbox.wait_for(1, worker)
        [(recipients, msg)] = mailbox.received
        assert recipients == [lawyer_email(app, first)] and msg["Bcc"] is None
        assert msg["Subject"] == "新的法律咨询待解答：工资被拖欠 Bcc: everyone@example.org"

        second = submit(client, auth, "citizen_ma", "房屋租赁押金不退")  # still sweeping
        mailbox.wait_for(2, worker)
        assert mailbox.received[1][0] == [lawyer_email(app, second)]
        assert mailbox.received[1][1]["Subject"] == "新的法律咨询待解答：房屋租赁押金不退"
    finally:
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr


def test_a_refused_address_is_marked_failed_for_admins_and_the_next_is_delivered(
        app, client, auth, runner, demo, mailbox):
    refused = submit(client, auth, "citizen_zhang", "拖欠工资")
    delivered = submit(client, auth, "citizen_ma", "加班费")
    lawyer, other = lawyer_email(app, refused), lawyer_email(app, delivered)
    assert lawyer != other  # the two labor lawyers, one consultation each
    with app.app_context():
        db.session.execute(update(User).where(User.email == lawyer).values(email=GONE))
        db.session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert [r for r, _ in mailbox.received] == [[other]]
    with app.app_context():
        status = db.session.scalar(select(Notification.email_status).where(
            Notification.business_key == str(refused), Notification.kind == "task_assigned"))
    assert status == "failed"

    auth.login("admin", "demo-admin-pass")
    page = client.get("/ops/mail-failures")
    assert page.status_code == 200
    assert "发送失败的邮件" in page.text and "新的法律咨询待解答：拖欠工资" in page.text
    assert "gone@example.org: 550 5.1.1" in page.text and "User unknown" in page.text
    assert "加班费" not in page.text
    client.post("/language", data={"lang": "en"})
    english = client.get("/ops/mail-failures").text
    assert "Undelivered e-mail" in english and ("To 王律师" in english or "To 赵律师" in english)
    # the notice's subject in the administrator's language, as the lawyer would have read it
    assert "A new legal consultation to answer: 拖欠工资" in english
    assert "新的法律咨询待解答" not in english
    auth.logout()
    auth.login("duty_sun", "demo-duty-officer-pass")
    assert client.get("/ops/mail-failures").status_code == 403


def test_each_recipient_is_mailed_in_their_own_language(app, client, auth, runner, demo,
                                                         mailbox):
    english = submit(client, auth, "citizen_zhang", "拖欠工资")
    chinese = submit(client, auth, "citizen_ma", "加班费")
    reader = lawyer_email(app, english)
    assert reader != lawyer_email(app, chinese)
    with app.app_context():
        db.session.execute(update(User).where(User.email == reader).values(locale="en"))
        db.session.commit()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mailbox.port)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    mailed = {recipients[0]: msg for recipients, msg in mailbox.received}
    assert mailed[reader]["Subject"] == "A new legal consultation to answer: 拖欠工资"
    # the deadline as the deployed diagram sets it, in the reader's words
    assert (f"You have a new legal consultation (no. {english}); please answer it within 5 "
            "hours.") in mailed[reader].get_content()
    other = mailed[lawyer_email(app, chinese)]
    assert other["Subject"] == "新的法律咨询待解答：加班费"
    assert f"（编号 {chinese}），请在 5 小时内解答。" in other.get_content()
