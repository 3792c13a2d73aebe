"""Inbox and task pages for the back office, on the real diagrams."""
from datetime import timedelta

import time_machine

from engine.models import utcnow
from engine.oversight import supervision
from tests.factories import QUESTION
from web.extensions import db


def test_inbox_is_sorted_by_due_time_with_remaining_time(client, login, demo):
    # Contract questions all go to lawyer_wang, the only demo lawyer for contracts.
    with time_machine.travel(utcnow() - timedelta(hours=2), tick=False):
        first = demo.submit(title="先提交的问题", category="contract")
    second = demo.submit(title="后提交的问题", category="contract")
    assert demo.lawyer_of(first) == demo.lawyer_of(second) == "lawyer_wang"
    login("lawyer_wang")
    page = client.get("/tasks/")
    assert page.status_code == 200
    assert "剩余 2 小时" in page.text and "剩余 4 小时" in page.text
    assert page.text.index("先提交的问题") < page.text.index("后提交的问题")


def test_overdue_tasks_are_marked(client, login, demo):
    cid = demo.submit()
    login(demo.lawyer_of(cid))
    with time_machine.travel(utcnow() + timedelta(hours=5, minutes=30), tick=False):
        page = client.get("/tasks/")  # no timer sweep yet: still the lawyer's, and late
    assert 'class="overdue"' in page.text and "已超时" in page.text


def test_task_page_shows_context_without_contact_details(client, login, demo):
    cid = demo.submit(title="房租押金不退", question="房东不退押金怎么办？")
    login(demo.lawyer_of(cid))
    task = demo.task(demo.lawyer_of(cid), "answer_consultation", cid)
    page = client.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert "房租押金不退" in page.text and "房东不退押金怎么办？" in page.text
    assert "劳动争议" in page.text  # the category's label, not its id
    assert QUESTION["contact_phone"] not in page.text
    assert '<select name="decision"' in page.text


def test_validation_errors_are_shown_beside_the_fields(client, login, demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    login(lawyer)
    task = demo.task(lawyer, "answer_consultation", cid)
    response = client.post(f"/tasks/{task.id}/complete",
                           data={"decision": "answer", "answer_text": ""})
    assert response.status_code == 422
    assert 'id="answer_text-error"' in response.text
    assert 'aria-describedby="answer_text-error"' in response.text


def test_completing_twice_is_a_409_that_explains(client, login, demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    login(lawyer)
    task = demo.task(lawyer, "answer_consultation", cid)
    data = {"decision": "answer", "answer_text": "请申请劳动仲裁。"}
    assert client.post(f"/tasks/{task.id}/complete", data=data).status_code == 303
    again = client.post(f"/tasks/{task.id}/complete", data=data)
    assert again.status_code == 409 and "您的输入未被保存" in again.text


def test_stale_revision_is_a_409(client, login, demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    login(lawyer)
    task = demo.task(lawyer, "answer_consultation", cid)
    response = client.post(f"/tasks/{task.id}/complete", data={
        "decision": "answer", "answer_text": "好", "revision": "0"})
    assert response.status_code == 409


def test_draft_is_shown_read_only_and_never_taken_from_the_form(client, login, demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    staff = "staff_chen" if lawyer in ("lawyer_wang", "lawyer_li") else "staff_liu"
    staff_id = demo.actor(staff).id
    login(lawyer)
    task = demo.task(lawyer, "answer_consultation", cid)
    page = client.get(f"/tasks/{task.id}")
    assert f'<option value="{staff_id}"' in page.text  # colleagues offered by name
    demo.complete(lawyer, "answer_consultation", cid, decision="delegate", delegate_to=staff_id)
    demo.complete(staff, "draft_answer", cid, draft_text="草稿：可以申请劳动仲裁。")
    review = demo.task(lawyer, "review_draft", cid)
    page = client.get(f"/tasks/{review.id}")
    assert "草稿：可以申请劳动仲裁。" in page.text
    assert 'name="draft_text"' not in page.text
    done = client.post(f"/tasks/{review.id}/complete", data={
        "draft_decision": "approve", "draft_text": "被篡改的文字"})
    assert done.status_code == 303
    login("citizen_zhang")
    seen = client.get(f"/consultations/{cid}").text
    assert "草稿：可以申请劳动仲裁。" in seen and "被篡改的文字" not in seen


def test_claim_and_release_a_role_task(client, auth, login, demo):
    cid = demo.submit()
    demo.answer(cid, "答复", sensitive=True)
    task = demo.task("duty_sun", "handle_sensitive", cid)
    login("duty_sun")
    page = client.get(f"/tasks/{task.id}")
    # duty officers may call the citizen
    assert "领取任务" in page.text and QUESTION["contact_phone"] in page.text
    assert client.post(f"/tasks/{task.id}/claim").status_code == 303
    assert 'name="handling_notes"' in client.get(f"/tasks/{task.id}").text
    auth.logout()
    login("duty_zhou")  # the notice's link, after a colleague claimed it: said so, in the inbox
    taken = client.get(f"/tasks/{task.id}", follow_redirects=True)
    assert taken.request.path == "/tasks/" and "该任务已由 孙值班员 领取。" in taken.text
    late = client.post(f"/tasks/{task.id}/claim")  # a page opened before: the claim is refused
    assert late.status_code == 409 and "该任务已由 孙值班员 领取。" in late.text
    auth.logout()
    login("duty_sun")
    assert client.post(f"/tasks/{task.id}/release").status_code == 303
    assert demo.task("duty_zhou", "handle_sensitive", cid)


def test_a_task_done_by_a_colleague_says_who_did_it_and_nothing_to_outsiders(client, auth,
                                                                              login, demo):
    cid = demo.submit()
    demo.answer(cid, "答复", attention=True)
    task = demo.task("duty_sun", "handle_attention", cid)
    login("duty_sun")
    client.post(f"/tasks/{task.id}/claim")
    assert client.post(f"/tasks/{task.id}/complete", data={
        "handling_notes": "已电话回访"}).status_code == 303
    mine = client.get(f"/tasks/{task.id}", follow_redirects=True)
    assert "您已办理完该任务。" in mine.text
    auth.logout()
    login("duty_zhou")
    done = client.get(f"/tasks/{task.id}", follow_redirects=True)
    assert done.request.path == "/tasks/" and "该任务已由 孙值班员 办理完毕。" in done.text
    client.post("/language", data={"lang": "en"})
    assert "孙值班员 has already completed this task." in client.get(
        f"/tasks/{task.id}", follow_redirects=True).text
    auth.logout()
    login("lawyer_li")  # never offered it: nothing is said about it
    assert client.get(f"/tasks/{task.id}").status_code == 404


def test_a_question_held_for_screening_shows_the_duty_officer_why(client, login, demo):
    cid = demo.submit(title="判决不履行", question="法院判决已经生效了，对方一直不给钱怎么办？")
    task = demo.task("duty_zhou", "review_screening", cid)
    login("duty_zhou")
    page = client.get(f"/tasks/{task.id}")
    assert page.status_code == 200
    assert "法院判决已经生效了" in page.text and "筛查提示" in page.text
    assert "已生效或已终审的判决" in page.text
    response = client.post(f"/tasks/{task.id}/complete", data={
        "screening_decision": "reject", "screening_note": "判决已生效，请向法院申请强制执行。"})
    assert response.status_code in (302, 303), response.text
    login("citizen_zhang")
    detail = client.get(f"/consultations/{cid}")
    assert "判决已生效，请向法院申请强制执行。" in detail.text and "不予受理" in detail.text


def test_touting_is_shown_beside_the_answer_field_and_nothing_is_published(client, login, demo):
    cid = demo.submit()
    lawyer = demo.lawyer_of(cid)
    login(lawyer)
    task = demo.task(lawyer, "answer_consultation", cid)
    response = client.post(f"/tasks/{task.id}/complete", data={
        "decision": "answer", "answer_text": "详情请加我微信 lawyer_li2024 私聊。"})
    assert response.status_code == 422
    assert 'id="answer_text-error"' in response.text and "微信号" in response.text
    assert 'name="keep_flagged"' in response.text  # the way to keep it, for a supervisor


def test_the_duty_officers_flag_tasks_show_their_deadline(client, login, demo):
    cid = demo.submit(title="老人被骗", vulnerable=True)
    demo.answer(cid, sensitive=True, attention=True)
    login("duty_sun")
    inbox = client.get("/tasks/").text
    for key in ("handle_sensitive", "handle_attention"):
        task = demo.task("duty_sun", key, cid)
        assert task.due_at is not None
        assert f"/tasks/{task.id}" in inbox
        page = client.get(f"/tasks/{task.id}").text
        assert "截止" in page and "剩余" in page
    assert inbox.count("截止") >= 2


def test_the_agreement_form_names_the_handler_and_asks_again_when_he_is_gone(client, login,
                                                                              demo):
    cid = demo.submit(category="contract")  # wang's
    demo.answer(cid)
    demo.complete("citizen_zhang", "rate_answer", cid, satisfied=True, wants_referral=True)
    demo.complete("duty_sun", "arrange_referral", cid, arrange_notes="")
    wang = demo.actor("lawyer_wang").id
    demo.complete("lawyer_li", "accept_referral", cid, referral_decision="accept",
                  handler_id=wang)
    task = demo.task("lawyer_li", "record_agreement", cid)
    login("lawyer_li")
    client.post(f"/tasks/{task.id}/claim")
    page = client.get(f"/tasks/{task.id}").text
    assert f'<option value="{wang}" selected>王律师' in page  # who accepted it, named
    with demo.app.app_context():
        supervision.disqualify(db.session, demo.actor("supervisor_feng"), wang, "违规招揽")
    page = client.get(f"/tasks/{task.id}").text
    assert f'value="{wang}"' not in page  # not offered, not chosen: someone must be named
    refused = client.post(f"/tasks/{task.id}/complete", data={
        "agreement_no": "DC-1", "signed_on": "2026-03-06", "handler_id": str(wang)})
    assert refused.status_code == 422 and "只能指定本机构在岗的人员" in refused.text
