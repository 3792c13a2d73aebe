"""The citizen's page says where the consultation really is, and shows their own rating."""
from sqlalchemy import select

from engine.models import User
from web.extensions import db

HOURS = "小时内答复"
COURT = "可以拨打朝阳区人民法院诉讼服务电话 010-65612345 查询立案进度。"


def _page(client, cid: int) -> str:
    response = client.get(f"/consultations/{cid}")
    assert response.status_code == 200
    return response.text


def _user_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.username == username))


def test_waiting_for_the_lawyer_gives_the_deadline(client, auth, demo):
    cid = demo.submit()
    auth.login("citizen_zhang", "demo-citizen-pass")
    assert HOURS in _page(client, cid)


def test_with_the_expert_group_no_lawyer_deadline(app, client, auth, demo):
    cid = demo.submit()
    demo.complete(demo.lawyer_of(cid), "answer_consultation", cid, decision="expert_review",
                  answer_text="初步意见：可以申请劳动仲裁。")
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = _page(client, cid)
    assert "已提请专家组审阅" in page and HOURS not in page
    demo.complete("duty_sun", "assign_expert", cid, expert_id=_user_id(app, "expert_wu"))
    page = _page(client, cid)
    assert "已提请专家组审阅" in page and HOURS not in page


def test_a_refusal_under_review_is_said_so(client, auth, demo):
    cid = demo.submit()
    demo.complete(demo.lawyer_of(cid), "answer_consultation", cid, decision="refuse",
                  refuse_reason="请向劳动争议仲裁委员会咨询。")
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = _page(client, cid)
    assert "值班人员正在审核" in page and HOURS not in page


def test_an_answer_held_for_a_supervisor_is_said_so(client, auth, demo):
    cid = demo.submit()
    demo.answer(cid, COURT, keep_flagged=True)
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = _page(client, cid)
    assert "网络监督人员审核" in page and HOURS not in page and COURT not in page


def test_after_a_dissatisfied_rating_the_citizen_sees_it_and_the_callback(client, auth, demo):
    cid = demo.submit()
    demo.answer(cid)
    auth.login("citizen_zhang", "demo-citizen-pass")
    assert "您的评价" not in _page(client, cid)
    task = demo.task("citizen_zhang", "rate_answer", cid)
    client.post(f"/consultations/{cid}/tasks/{task.id}",
                data={"satisfied": "false", "feedback_comment": "没有回答我的问题"})
    page = _page(client, cid)
    assert "您的评价" in page and "不满意" in page and "没有回答我的问题" in page
    assert "值班人员将回访您" in page and HOURS not in page
    # The callback sends it to another lawyer: the answer so far stays, a new one is coming.
    demo.complete("duty_sun", "callback_citizen", cid, callback_notes="已回访",
                  callback_action="reanswer")
    page = _page(client, cid)
    assert "已安排律师重新解答" in page and "可申请劳动仲裁" in page


def test_a_satisfied_rating_is_shown_and_nothing_is_pending(client, auth, demo):
    cid = demo.submit()
    demo.answer(cid)
    demo.complete("citizen_zhang", "rate_answer", cid, satisfied=True, feedback_comment="很清楚")
    auth.login("citizen_zhang", "demo-citizen-pass")
    page = _page(client, cid)
    assert "您的评价" in page and ">满意<" in page and "很清楚" in page
    assert HOURS not in page and 'class="card hint stage"' not in page
    auth.logout()
    auth.login("citizen_ma", "demo-citizen-pass")
    assert client.get(f"/consultations/{cid}").status_code == 404


def _instance_of(app, cid: int) -> int:
    from engine.models import ProcessInstance

    with app.app_context():
        return db.session.scalar(select(ProcessInstance.id).where(
            ProcessInstance.business_key == str(cid), ProcessInstance.process_key
            == "consultation"))


def test_one_number_per_consultation_the_instance_id_only_for_process_people(app, client,
                                                                           auth, demo):
    from engine.oversight import supervision

    with app.app_context():  # a supervision process first, so the numbers differ
        supervision.warn(db.session, demo._actor("supervisor_feng"),
                         _user_id(app, "lawyer_zhao"), "答复过于简单")
    cid = demo.submit()
    iid = _instance_of(app, cid)
    assert iid != cid
    auth.login("supervisor_feng", "demo-supervisor-pass")
    page = client.get(f"/designer/instances/{iid}").text
    assert f"咨询 #{cid}" in page and f"实例 #{iid}" not in page
    auth.logout()
    auth.login("admin", "demo-admin-pass")
    page = client.get(f"/designer/instances/{iid}").text
    assert f"咨询 #{cid}" in page.split("</h1>")[0]
    assert f"实例 #{iid}" in page  # secondary, for those who work on the processes
