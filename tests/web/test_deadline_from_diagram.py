"""The answer deadline comes from the deployed diagram: a copy of processes/ whose answer stage
times out after PT6H makes every page, notice, e-mail and report say and use 6 hours."""
import shutil
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from aiosmtpd.controller import Controller

from tests.drivers import Demo
from tests.engine.notifications.test_outbox import Mailbox, free_port
from tests.factories import PROCESSES, QUESTION

T0 = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def mailbox():
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture
def app_config(app_config, mailbox):
    return {**app_config, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(mailbox.port),
            "MAIL_FROM": "法网 <noreply@fawang.test>"}


@pytest.fixture
def six_hours(app, tmp_path):
    """The demo world on a copy of processes/ whose answer stage times out after 6 hours."""
    copy = shutil.copytree(PROCESSES, tmp_path / "processes")
    diagram = copy / "consultation.bpmn"
    text = diagram.read_text(encoding="utf-8")
    assert text.count('"PT5H"') == 1
    diagram.write_text(text.replace('"PT5H"', '"PT6H"'), encoding="utf-8")
    return Demo(app, copy)


def test_pages_notices_and_emails_say_six_hours(client, login, runner, mailbox, six_hours):
    assert "驻场律师将在 6 小时内答复" in client.get("/").text
    login("citizen_zhang")
    submitted = client.post("/consultations/new", data=QUESTION, follow_redirects=True)
    assert submitted.status_code == 200, submitted.text
    assert "您的咨询已提交，律师将在 6 小时内答复。" in submitted.text
    assert "律师将在 6 小时内答复，答复后我们会通知您。" in submitted.text
    detail_url = submitted.request.path
    client.post("/language", data={"lang": "en"})
    assert "A lawyer will answer within 6 hours" in client.get(detail_url).text

    cid = int(detail_url.rsplit("/", 1)[-1])
    lawyer = six_hours.lawyer_of(cid)
    task = six_hours.task(lawyer, "answer_consultation", cid)
    assert abs(task.due_at - task.created_at - timedelta(hours=6)) < timedelta(seconds=5)
    login(lawyer)
    page = client.get(f"/tasks/{task.id}").text
    assert "办理时限：6 小时（自本环节开始计算）。" in page
    assert "5小时" not in page  # the task's documentation names no number either
    assert "请在 6 小时内解答" in client.get("/notifications/").text

    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    mails = [msg for rcpt, msg in mailbox.received if rcpt == [f"{lawyer}@example.org"]]
    assert mails and "请在 6 小时内解答" in mails[0].get_content()
    assert not any("5 小时" in msg.get_content() for _r, msg in mailbox.received)


def test_the_report_measures_answers_against_six_hours(client, login, six_hours):
    with time_machine.travel(T0, tick=False):
        cid = six_hours.submit()
    with time_machine.travel(T0 + timedelta(hours=5, minutes=30), tick=False):
        six_hours.answer(cid)  # late under the usual 5 hours, in time under this diagram's 6
    login("supervisor_feng")
    page = client.get("/supervise/reports?group_by=all&start=2026-06-01&end=2026-06-01").text
    assert "答复时限为接到通知后 6 小时" in page
    assert "100.0%" in page and "(1/1)" in page
    csv_text = client.get("/supervise/reports.csv?group_by=all&start=2026-06-01"
                          "&end=2026-06-01").text
    header, row = csv_text.lstrip("\ufeff").splitlines()
    figures = dict(zip(header.split(","), row.split(","), strict=True))
    assert (figures["已到答复期限"], figures["时限内答复"], figures["时限内答复比例"]) == (
        "1", "1", "1.0")


@pytest.fixture
def three_hour_callback(app, tmp_path):
    """The demo world on a copy of processes/ whose call-back is due after 3 hours, not 2."""
    copy = shutil.copytree(PROCESSES, tmp_path / "processes")
    diagram = copy / "consultation.bpmn"
    text = diagram.read_text(encoding="utf-8")
    marker = 'id="callback_deadline"'
    head, tail = text.split(marker, 1)
    timer, rest = tail.split("</bpmn:boundaryEvent>", 1)
    assert '"PT2H"' in timer
    diagram.write_text(head + marker + timer.replace('"PT2H"', '"PT3H"') + "</bpmn:boundaryEvent>"
                       + rest, encoding="utf-8")
    return Demo(app, copy)


def test_the_call_back_notice_states_the_diagrams_call_back_deadline(client, login,
                                                                       three_hour_callback):
    demo = three_hour_callback
    cid = demo.submit()
    demo.answer(cid)
    demo.complete("citizen_zhang", "rate_answer", cid, satisfied=False,
                  feedback_comment="没有回答我的问题")
    login("duty_sun")
    page = client.get("/notifications/").text
    assert f"咨询人对咨询（编号 {cid}）的答复不满意，请在 3 小时内回访" in page
    client.post("/language", data={"lang": "en"})
    assert "Please call them back within 3 hours" in client.get("/notifications/").text
