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


COURT = "可以拨打朝阳区人民法院诉讼服务电话 010-65612345 查询立案进度。"


def _rows(html: str) -> int:
    return html.count("<tr class")


def test_board_searches_by_number_title_and_lawyer(client, auth, demo):
    wages = demo.submit(title="拖欠工资怎么办")
    demo.submit(title="离婚财产分割", category="family")
    auth.login("duty_sun", "demo-duty-officer-pass")
    by_title = client.get("/board/?q=工资").text
    assert "拖欠工资怎么办" in by_title and "离婚财产分割" not in by_title
    by_number = client.get(f"/board/?q={wages}").text
    assert "拖欠工资怎么办" in by_number and _rows(by_number) == 1
    lawyer = {"lawyer_wang": "王律师", "lawyer_li": "李律师",
              "lawyer_zhao": "赵律师"}[demo.lawyer_of(wages)]
    by_lawyer = client.get(f"/board/?q={lawyer}").text
    assert "拖欠工资怎么办" in by_lawyer and "离婚财产分割" not in by_lawyer
    assert "没有符合条件" in client.get("/board/?q=100%25_").text  # wildcards are literal
    too_long = client.get("/board/?q=" + "长" * 101)
    assert too_long.status_code == 422


def test_board_filters_by_flag_and_shows_time_left(client, auth, demo):
    flagged = demo.submit(title="老人被骗", vulnerable=True)
    demo.answer(flagged, sensitive=True)
    held = demo.submit(title="法院电话")
    demo.answer(held, text=COURT, keep_flagged=True)
    plain = demo.submit(title="普通问题")
    auth.login("duty_sun", "demo-duty-officer-pass")
    sensitive = client.get("/board/?flag=sensitive").text
    assert "老人被骗" in sensitive and "普通问题" not in sensitive and "敏感案事件" in sensitive
    waiting = client.get("/board/?flag=held").text
    assert "法院电话" in waiting and "老人被骗" not in waiting and _rows(waiting) == 1
    assert client.get("/board/?flag=nonsense").status_code == 422
    both = client.get("/board/?flag=held&status=answering").text
    assert _rows(both) <= 1
    everything = client.get("/board/").text
    assert "剩余 4 小时 59 分" in everything or "剩余 5 小时 0 分" in everything
    assert demo.lawyer_of(plain)


def test_the_board_costs_the_same_statements_for_10_or_250_open_cases(app, client, auth,
                                                                      demo):
    from sqlalchemy import event

    from web.extensions import db

    def statements() -> int:
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get("/board/").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    for n in range(10):
        demo.submit(title=f"问题{n}")
    auth.login("duty_sun", "demo-duty-officer-pass")
    few = statements()
    for n in range(240):
        demo.submit(title=f"更多问题{n}")
    many = statements()
    assert many == few and many <= 12, (few, many)
