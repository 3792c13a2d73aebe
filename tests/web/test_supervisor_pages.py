"""Supervisors' pages: who may open them, every consultation with its timeline, the audit log
and its filters, the review queue, and warn / disqualify / reinstate through the web."""
import re

import pytest
from sqlalchemy import select

from engine.models import HumanTask, LawyerWarning, Notification, User
from tests.factories import QUESTION
from web.extensions import db

# Every test: processes/ deployed, and an app context (the tests use db.session).
pytestmark = pytest.mark.usefixtures("deployed", "app_context")

SOLICITING = "建议申请劳动仲裁，详情请加我微信 wang_lawyer88 私聊。"
ROLES = ["citizen1", "wang", "chen", "duty1", "expert1", "supervisor", "admin"]
PAGES = {  # path -> who may open it
    "/supervise/consultations": {"supervisor", "admin"},
    "/supervise/audit": {"supervisor", "admin"},
    "/supervise/lawyers": {"supervisor", "admin"},
    "/supervise/review": {"supervisor"},
    "/supervise/reports": {"supervisor", "duty1", "admin"},
    "/supervise/reports.csv": {"supervisor", "duty1", "admin"},
    "/supervise/my-record": {"wang"},
    "/ops/incidents": {"admin"},
    "/ops/reassign": {"duty1", "admin"},
    "/notifications/": set(ROLES),
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_authorization_matrix(client, login, world, path):
    assert client.get(path).status_code == 302  # anonymous: to the login page
    assert "/auth/login" in client.get(path).headers["Location"]
    for who in ROLES:
        login(who)
        expected = 200 if who in PAGES[path] else 403
        assert client.get(path).status_code == expected, (who, path)


def test_detail_pages_refuse_other_roles(client, login, play, world):
    cid = play.submit()
    for who in ("wang", "duty1", "citizen1"):
        login(who)
        assert client.get(f"/supervise/consultations/{cid}").status_code == 403
        assert client.get(f"/supervise/lawyers/{world.id('wang')}").status_code == 403
    login("admin")
    assert client.post(f"/supervise/lawyers/{world.id('wang')}/warn",
                       data={"reason": "x"}).status_code == 403  # admins read, never sanction


def test_consultation_list_filters_and_detail_timeline(client, login, play, world):
    first = play.submit(title="工资纠纷一")
    lawyer = play.answer(first)
    play.submit(title="合同纠纷问题", category="contract")  # li's field
    login("supervisor")
    page = client.get("/supervise/consultations?category=labor").get_data(as_text=True)
    assert "工资纠纷一" in page and "合同纠纷问题" not in page
    page = client.get(f"/supervise/consultations?lawyer_id={world.id(lawyer)}").get_data(
        as_text=True)
    assert "工资纠纷一" in page and "合同纠纷问题" not in page
    assert client.get("/supervise/consultations?start=2026-99-01").status_code == 422
    detail = client.get(f"/supervise/consultations/{first}").get_data(as_text=True)
    assert QUESTION["contact_phone"] in detail  # supervisors see the citizen's contact details
    assert "建议向劳动争议仲裁委员会申请仲裁" in detail  # the answer ...
    name = db.session.scalar(select(HumanTask.name).where(
        HumanTask.business_key == str(first), HumanTask.bpmn_id == "answer_consultation"))
    assert name in detail and "answer_text" in detail  # ... each task, with its data


def test_audit_log_filters(client, login, play, world):
    cid = play.submit()
    lawyer = play.answer(cid)
    play.submit(citizen="citizen2", title="另一位咨询人的问题")
    login("supervisor")
    everything = client.get("/supervise/audit").get_data(as_text=True)
    assert "answer_published" in everything or "答复已发布" in everything
    theirs = client.get(f"/supervise/audit?lawyer_id={world.id(lawyer)}&action=complete")
    rows = theirs.get_data(as_text=True).count('data-label="#"')
    assert theirs.status_code == 200 and rows == 1
    none = client.get("/supervise/audit?start=2000-01-01&end=2000-01-31")
    assert "没有符合条件的记录" in none.get_data(as_text=True)
    bad = client.get("/supervise/audit?start=2026-03-09&end=2026-03-01")
    assert bad.status_code == 422 and "结束日期不能早于开始日期" in bad.get_data(as_text=True)


def test_review_queue_dismiss_needs_a_reason_then_leaves_the_queue(client, login, play):
    cid = play.submit()
    play.answer(cid, SOLICITING, keep_flagged=True)  # kept: held for release, and queued
    login("supervisor")
    page = client.get("/supervise/review").get_data(as_text=True)
    assert "wang_lawyer88" in page and "微信号" in page  # the text and the scan's reason
    answer_id = int(page.split("/supervise/review/flag/")[1].split('"')[0])
    empty = client.post(f"/supervise/review/flag/{answer_id}",
                        data={"decision": "dismiss", "reason": "  "})
    assert empty.status_code == 422
    assert f'id="flag-{answer_id}-error"' in empty.get_data(as_text=True)
    done = client.post(f"/supervise/review/flag/{answer_id}",
                       data={"decision": "dismiss", "reason": "法院公开电话，非招揽"})
    assert done.status_code == 303
    assert "wang_lawyer88" not in client.get("/supervise/review").get_data(as_text=True)


def test_review_queue_case_warns_the_author(client, login, play, world):
    cid = play.submit()
    lawyer = play.answer(cid, SOLICITING, keep_flagged=True)
    login("supervisor")
    page = client.get("/supervise/review").get_data(as_text=True)
    name = {"wang": "王律师", "zhao": "赵律师"}[lawyer]
    assert "承办律师" not in page and f">{name}</a>" in page  # the lawyer, by name
    answer_id = int(page.split("/supervise/review/flag/")[1].split('"')[0])
    client.post(f"/supervise/review/flag/{answer_id}",
                data={"decision": "case", "sanction": "warn", "reason": "留微信招揽"})
    [warning] = db.session.scalars(select(LawyerWarning)).all()
    assert (warning.lawyer_id, warning.kind, warning.reason) == (
        world.id(lawyer), "warn", "留微信招揽")


def test_a_dissatisfied_rating_is_not_a_complaint(client, login, play):
    cid = play.submit()
    play.answer(cid)
    play.rate(cid, False, "回答太笼统了")
    login("supervisor")
    assert "回答太笼统了" not in client.get("/supervise/review").get_data(as_text=True)


def test_a_complaint_is_its_own_act_and_reaches_the_queue(client, login, play, world):
    cid = play.submit()
    lawyer = play.answer(cid)
    login("citizen1")
    form = client.get(f"/consultations/{cid}/complaint")
    assert form.status_code == 200 and 'name="reason"' in form.get_data(as_text=True)
    empty = client.post(f"/consultations/{cid}/complaint", data={"reason": "", "text": ""})
    page = empty.get_data(as_text=True)
    assert empty.status_code == 422 and 'id="reason-error"' in page and 'id="text-error"' in page
    done = client.post(f"/consultations/{cid}/complaint",
                       data={"reason": "attitude", "text": "律师答复敷衍，语气很不耐烦"})
    assert done.status_code == 303
    login("supervisor")
    page = client.get("/supervise/review").get_data(as_text=True)
    assert "律师答复敷衍" in page and "咨询人投诉" in page and "态度恶劣" in page
    complaint_id = int(page.split("/supervise/review/complaint/")[1].split('"')[0])
    client.post(f"/supervise/review/complaint/{complaint_id}",
                data={"decision": "case", "sanction": "warn", "reason": "态度问题属实"})
    [warning] = db.session.scalars(select(LawyerWarning)).all()
    assert (warning.lawyer_id, warning.reason) == (world.id(lawyer), "态度问题属实")


def test_only_the_consultations_citizen_may_complain(client, login, play):
    cid = play.submit()
    play.answer(cid)
    login("citizen2")
    response = client.post(f"/consultations/{cid}/complaint",
                           data={"reason": "other", "text": "不是我的咨询"})
    assert response.status_code == 404


def test_warn_is_seen_by_the_lawyer(client, login, world):
    login("supervisor")
    response = client.post(f"/supervise/lawyers/{world.id('wang')}/warn", data={"reason": ""})
    assert response.status_code == 422 and 'id="warn-reason-error"' in response.get_data(
        as_text=True)
    client.post(f"/supervise/lawyers/{world.id('wang')}/warn", data={"reason": "答复过于简单"})
    login("wang")
    assert "答复过于简单" in client.get("/supervise/my-record").get_data(as_text=True)
    notices = client.get("/notifications/").get_data(as_text=True)
    link = re.search(r'name="next" value="([^"]+)"', notices)[1]  # the notice's own link
    assert "答复过于简单" in client.get(link).get_data(as_text=True)
    login("li")
    assert "答复过于简单" not in client.get("/supervise/my-record").get_data(as_text=True)


def test_disqualify_moves_open_work_to_duty_officers_then_reinstate(client, login, play,
                                                                     world):
    cid = play.submit()
    lawyer = play.holder(cid)
    lawyer_id = world.id(lawyer)
    login("supervisor")
    unconfirmed = client.post(f"/supervise/lawyers/{lawyer_id}/disqualify",
                              data={"reason": "多次招揽线下业务"})
    assert unconfirmed.status_code == 422
    assert db.session.get(User, lawyer_id).status == "active"
    client.post(f"/supervise/lawyers/{lawyer_id}/disqualify",
                data={"reason": "多次招揽线下业务", "confirm": "yes"})
    db.session.expire_all()
    assert db.session.get(User, lawyer_id).status == "disqualified"
    task = db.session.scalar(select(HumanTask).where(HumanTask.business_key == str(cid),
                                                     HumanTask.state == "ready"))
    assert (task.role, task.assignee_id, task.reassign_from) == ("duty_officer", None, lawyer_id)
    login(lawyer)  # still logs in, reads the history, has no work
    record = client.get("/supervise/my-record").get_data(as_text=True)
    assert "多次招揽线下业务" in record and "驻场资格已被取消" in record
    assert "answer_consultation" not in client.get("/tasks/").get_data(as_text=True)
    login("duty1")
    # The inbox offers only what the duty officer may do: the task waits in the reassignment
    # queue (linked from the inbox and the notice), its page offers no claim, a claim is 403.
    inbox = client.get("/tasks/").get_data(as_text=True)
    assert f"/tasks/{task.id}" not in inbox and "1 项任务待改派" in inbox
    assert "/ops/reassign" in inbox
    page = client.get(f"/tasks/{task.id}").get_data(as_text=True)
    assert "领取任务" not in page and "此任务目前不由您处理" in page
    assert client.post(f"/tasks/{task.id}/claim").status_code == 403
    [notice] = db.session.scalars(select(Notification).where(
        Notification.user_id == world.id("duty1"), Notification.kind == "reassignment_needed"))
    assert notice.link == "/ops/reassign"
    queue = client.get("/ops/reassign").get_data(as_text=True)
    assert f"/ops/reassign/{task.id}" in queue
    other = "zhao" if lawyer != "zhao" else "wang"
    bad = client.post(f"/ops/reassign/{task.id}", data={"new_user_id": world.id("chen")})
    assert bad.status_code == 422 and f'id="who-{task.id}-error"' in bad.get_data(as_text=True)
    assert client.post(f"/ops/reassign/{task.id}",
                       data={"new_user_id": world.id(other)}).status_code == 303
    db.session.expire_all()
    assert db.session.get(HumanTask, task.id).assignee_id == world.id(other)
    [handed] = db.session.scalars(select(Notification).where(
        Notification.user_id == world.id(other), Notification.kind == "task_reassigned"))
    assert handed.link == f"/tasks/{task.id}"
    login("supervisor")
    client.post(f"/supervise/lawyers/{lawyer_id}/reinstate", data={"reason": "整改完毕"})
    db.session.expire_all()
    assert db.session.get(User, lawyer_id).status == "active"
    page = client.get(f"/supervise/lawyers/{lawyer_id}").get_data(as_text=True)
    assert "整改完毕" in page and "多次招揽线下业务" in page
