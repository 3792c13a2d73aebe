"""The duty officers' board of open consultations: status, lawyer, deadline, pages."""
from datetime import timedelta

import time_machine

from engine.models import utcnow


def test_board_lists_open_consultations_in_pages(client, auth, demo):
    ids = [demo.submit(title=f"问题{n:02d}") for n in range(55)]
    demo.answer(ids[0])
    demo.submit(title="已在诉讼中的问题", case_status="in_litigation")  # screened out
    auth.login("duty_sun", "demo-duty-officer-pass")
    first = client.get("/board/")
    assert first.status_code == 200
    assert "第 1 / 2 页" in first.text and "问题01" in first.text
    second = client.get("/board/?page=2")
    assert second.status_code == 200 and "第 2 / 2 页" in second.text
    assert "已在诉讼中的问题" not in first.text + second.text
    shown = first.text.count("<tr class") + second.text.count("<tr class")
    assert shown == 55


def test_board_filters_by_status_and_marks_overdue(client, auth, demo):
    waiting = demo.submit(title="等待答复")
    answered = demo.submit(title="已经答复")
    demo.answer(answered)
    auth.login("duty_sun", "demo-duty-officer-pass")
    only_answered = client.get("/board/?status=answered").text
    assert "已经答复" in only_answered and "等待答复" not in only_answered
    with time_machine.travel(utcnow() + timedelta(hours=6), tick=False):
        late = client.get("/board/?status=assigned").text
    assert "等待答复" in late and "已超时" in late
    assert demo.lawyer_of(waiting)


def test_only_duty_officers_supervisors_and_admins_see_the_board(client, auth, demo):
    auth.login("lawyer_wang", "demo-lawyer-pass")
    assert client.get("/board/").status_code == 403
    auth.logout()
    auth.login("supervisor_feng", "demo-supervisor-pass")
    assert client.get("/board/").status_code == 200
