"""The notification outbox: the in-app inbox, and e-mail through a real local SMTP server."""
import socket
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from engine.errors import Message
from engine.models import Notification
from engine.notifications import delivery, outbox
from tests.engine.worker_fixtures import (
    actors_fixture,  # noqa: F401 - the `actors` fixture
    set_user,
)

# Later than every notify() made by these tests, however long the suite takes to reach them.
NOW = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=12)


class Mailbox:
    """aiosmtpd handler that keeps what it is sent, or rejects with `reply`."""

    def __init__(self):
        self.received, self.attempted, self.reply = [], [], None

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content,
                                 policy=policy.default)
        self.attempted.append(msg["Message-ID"])
        if self.reply:
            return self.reply
        self.received.append((envelope.rcpt_tos, msg))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.config = delivery.SmtpConfig(host="127.0.0.1", port=controller.port,
                                   mail_from="法网 <noreply@fawang.test>", secret="s3cret",
                                   base_url="https://fawang.test", max_attempts=3)
    yield box
    controller.stop()


def notify(Session, user_id: int, subject: str = "新咨询待答复：劳动合同纠纷") -> int:
    with Session() as s:
        queued = outbox.notify(s, user_id, "task_assigned", subject, link="/tasks/42",
                               body="请在5小时内答复。", business_key="C-1")
        s.commit()
        return queued.first().id  # written with the COMMIT


def email_state(Session, notification_id: int) -> Notification:
    with Session() as s:
        return s.get(Notification, notification_id)


def test_notifications_belong_to_the_callers_transaction(Session, actors):
    lawyer, citizen = actors["lawyer"].id, actors["citizen"].id
    with Session() as s:
        outbox.notify(s, lawyer, "task_assigned", "rolled back")
        s.rollback()
    first, second = notify(Session, lawyer, "一"), notify(Session, lawyer, "二")
    notify(Session, citizen, "咨询已答复")
    with Session() as s:
        assert outbox.unread_count(s, lawyer) == 2
        assert [n.subject for n in outbox.list_for_user(s, lawyer)] == ["二", "一"]
        assert outbox.mark_read(s, citizen, [first]) == 0  # not theirs
        assert outbox.mark_read(s, lawyer, [first]) == 1
        assert outbox.unread_count(s, lawyer) == 1
        assert [n.id for n in outbox.list_for_user(s, lawyer, unread_only=True)] == [second]
        assert outbox.mark_read(s, lawyer) == 1
        assert outbox.unread_count(s, lawyer) == 0
        assert outbox.unread_count(s, citizen) == 1


def test_email_reaches_the_user_with_a_chinese_subject(Session, actors, mailbox):
    nid = notify(Session, actors["lawyer"].id)
    result = delivery.deliver_pending(Session, mailbox.config, now=NOW)
    assert (result.sent, result.failed) == (1, 0)
    [(recipients, msg)] = mailbox.received
    assert recipients == ["lawyer@example.org"]
    assert msg["Subject"] == "新咨询待答复：劳动合同纠纷"
    assert "请在5小时内答复。" in msg.get_content()
    assert "https://fawang.test/tasks/42" in msg.get_content()
    assert msg["Message-ID"] == delivery.message_id(nid, mailbox.config)
    row = email_state(Session, nid)
    assert (row.email_status, row.email_attempts, row.email_sent_at) == ("sent", 1, NOW)
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).sent == 0  # sent once


def test_a_retry_carries_the_same_message_id(Session, actors, mailbox):
    nid = notify(Session, actors["lawyer"].id)
    mailbox.reply = "451 4.3.0 Mailbox busy, try again"
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).retried == 1
    row = email_state(Session, nid)
    assert (row.email_status, row.email_attempts) == ("pending", 1)
    assert "451" in row.email_error
    assert row.email_next_at == NOW + timedelta(minutes=1)
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).retried == 0  # not yet

    mailbox.reply = None
    later = NOW + timedelta(minutes=1)
    assert delivery.deliver_pending(Session, mailbox.config, now=later).sent == 1
    assert len(mailbox.attempted) == 2 and len(set(mailbox.attempted)) == 1
    assert mailbox.received[0][1]["Message-ID"] == mailbox.attempted[0]


def test_a_rejecting_server_is_retried_with_backoff_then_failed(Session, actors, mailbox):
    nid = notify(Session, actors["lawyer"].id)
    mailbox.reply = "451 4.7.1 Greylisted"
    now, waits = NOW, []
    for _ in range(mailbox.config.max_attempts):
        delivery.deliver_pending(Session, mailbox.config, now=now)
        row = email_state(Session, nid)
        if row.email_next_at:
            waits.append(row.email_next_at - now)
            now = row.email_next_at
    assert waits == [timedelta(minutes=1), timedelta(minutes=2)]
    assert (row.email_status, row.email_attempts) == ("failed", 3)
    assert "451 4.7.1 Greylisted" in row.email_error
    later = now + timedelta(days=1)
    assert delivery.deliver_pending(Session, mailbox.config, now=later).failed == 0
    assert mailbox.received == []


def test_a_permanent_rejection_fails_at_once(Session, actors, mailbox):
    nid = notify(Session, actors["lawyer"].id)
    mailbox.reply = "554 5.7.1 Rejected by policy"
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).failed == 1
    row = email_state(Session, nid)
    assert (row.email_status, row.email_error) == ("failed", "554 5.7.1 Rejected by policy")


def test_users_without_email_are_skipped(Session, actors, mailbox):
    nid = notify(Session, actors["citizen"].id)
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).skipped == 1
    assert email_state(Session, nid).email_status == "skipped"
    assert mailbox.attempted == []
    with Session() as s:
        assert outbox.unread_count(s, actors["citizen"].id) == 1  # still in the web inbox


def test_a_claimed_message_is_left_alone_until_its_lease_runs_out(Session, actors, mailbox):
    """Another worker claimed it (or died while sending): no double send within the lease."""
    nid = notify(Session, actors["lawyer"].id)
    with Session() as s:
        s.execute(update(Notification).where(Notification.id == nid).values(
            email_status="sending", email_next_at=NOW + timedelta(minutes=5)))
        s.commit()
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).sent == 0
    assert mailbox.attempted == []
    resumed = NOW + timedelta(minutes=6)
    assert delivery.deliver_pending(Session, mailbox.config, now=resumed).sent == 1
    assert mailbox.received[0][1]["Message-ID"] == delivery.message_id(nid, mailbox.config)


def test_an_unreachable_server_is_retried(Session, actors):
    nid = notify(Session, actors["lawyer"].id)
    config = delivery.SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2)
    assert delivery.deliver_pending(Session, config, now=NOW).retried == 1
    row = email_state(Session, nid)
    assert row.email_status == "pending" and "ConnectionRefused" in row.email_error


def test_message_ids_differ_per_notification_and_install():
    a, b = delivery.SmtpConfig(secret="one"), delivery.SmtpConfig(secret="two")
    assert delivery.message_id(1, a) == delivery.message_id(1, a)
    ids = {delivery.message_id(1, a), delivery.message_id(2, a), delivery.message_id(1, b)}
    assert len(ids) == 3




def test_a_subject_with_line_breaks_is_sent_on_one_clean_line(Session, actors, mailbox):
    title = "工资被拖欠\r\nBcc: everyone@example.org\x00\t" + "长" * 300
    notify(Session, actors["lawyer"].id, title)
    assert delivery.deliver_pending(Session, mailbox.config, now=NOW).sent == 1
    [(recipients, msg)] = mailbox.received
    assert recipients == ["lawyer@example.org"] and msg["Bcc"] is None
    assert msg["Subject"].startswith("工资被拖欠 Bcc: everyone@example.org 长长")
    assert msg["Subject"].endswith("…") and len(msg["Subject"]) == 150


def test_a_message_that_cannot_be_built_fails_with_its_reason_and_the_next_is_sent(
        Session, actors, mailbox):
    set_user(Session, actors["staff"].id, email="staff@example.org\r\nBcc: x@example.org")
    broken = notify(Session, actors["staff"].id)
    fine = notify(Session, actors["lawyer"].id)
    result = delivery.deliver_pending(Session, mailbox.config, now=NOW)
    assert (result.sent, result.failed) == (1, 1)
    row = email_state(Session, broken)
    assert row.email_status == "failed"
    assert row.email_error.startswith("邮件无法生成：ValueError: invalid e-mail address")
    assert email_state(Session, fine).email_status == "sent"
    assert [r for r, _ in mailbox.received] == [["lawyer@example.org"]]


def test_a_notice_keeps_its_templates_to_be_read_in_another_language(Session, actors):
    """What a citizen wrote, NUL bytes and all, goes in as a value; nested messages and lists
    come back as they went in, and a reader's translation applies to every template."""
    within = Message("{hours} 小时内", hours=5)
    subject = Message("新咨询：{title}", title="工资\x00拖欠")
    body = Message("请在{within}答复：{items}", within=within, items=["甲", "乙"])
    with Session() as s:
        outbox.notify(s, actors["lawyer"].id, "task_assigned", subject, body)
        s.commit()
        [stored] = outbox.list_for_user(s, actors["lawyer"].id)
    assert (stored.subject, stored.body) == ("新咨询：工资拖欠", "请在5 小时内答复：甲、乙")
    english = {"新咨询：{title}": "New: {title}",
               "请在{within}答复：{items}": "Answer {within}: {items}",
               "{hours} 小时内": "within {hours} hours", "、": ", ", "甲": "A"}

    def translate(message):
        if isinstance(message, Message):
            return english[message.template].format(**{
                k: english["、"].join(map(translate, v)) if isinstance(v, list) else translate(v)
                for k, v in message.params.items()})
        return english.get(message, message) if isinstance(message, str) else str(message)
    read = stored.read_in(translate)
    assert (read.subject, read.body) == ("New: 工资拖欠", "Answer within 5 hours: A, 乙")
    plain = outbox.NotificationInfo(1, "x", "旧", "原文", None, None, NOW, None)
    assert plain.read_in(translate) == plain  # written before templates were kept
