"""The lawyer's phone: a form that shows only what the decision needs, an answer that is
autosaved and comes back after a reload or a migration, staff and expert steps, "my answers",
and the inbox shown offline. All at 390 x 844."""
import re
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.serving import make_server

from engine.models import Base, ProcessInstance
from engine.workflow import migration, versions
from tests.browser.conftest import PHONE
from tests.drivers import Demo
from tests.factories import consultation_v2
from web import create_app
from web.extensions import db

pytestmark = pytest.mark.browser

TYPED = "您可以向劳动争议仲裁委员会申请仲裁，要求公司支付拖欠的工资。"


@pytest.fixture(scope="module")
def phone_server(tmp_path_factory):
    """Its own app and database: the migration here must not move other tests' instances."""
    path = tmp_path_factory.mktemp("phone") / "app.db"
    app = create_app({"SECRET_KEY": "browser-test-secret", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{path}", "LOGIN_RATE_LIMIT": "1000/minute",
                      "SUBMIT_RATE_LIMIT": "1000/minute"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
    demo = Demo(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", demo
    server.shutdown()
    thread.join(5)


def _phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="zh-CN")
    return context, context.new_page()


def _login(page, base, username, password):
    page.goto(f"{base}/auth/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form.card button[type=submit]")
    page.wait_for_load_state()


def _open_task(page, base, demo, username, key, cid):
    page.goto(f"{base}/tasks/{demo.task(username, key, cid).id}")
    page.wait_for_selector("form.task-form")


def _draft_saved(response) -> bool:
    return (response.request.method == "PUT" and response.url.endswith("/draft")
            and response.ok)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _migrate(demo, cid) -> None:
    """What an administrator does: deploy a v2 and move this consultation's instance to it."""
    with demo.app.app_context():
        v1 = versions.latest_version(db.session, "consultation")
        files = dict(v1.files)
        files["consultation.bpmn"] = consultation_v2(files["consultation.bpmn"])
        [v2] = [i for i in versions.deploy(db.session, files, reason="质量抽查")
                if i.key == "consultation"]
        instance = db.session.scalar(select(ProcessInstance.id).where(
            ProcessInstance.business_key == str(cid)))
        report = migration.migrate(db.session, v1.id, v2.id, [instance],
                                   demo._actor("admin"), "增加质量抽查")
    assert [r.migrated for r in report.instances] == [True]


def test_staff_drafts_and_the_lawyer_approves(phone_server, browser):
    base, demo = phone_server
    cid = demo.submit(title="劳动合同到期不续签", category="contract")
    assert demo.lawyer_of(cid) == "lawyer_wang"
    _, lawyer = _phone(browser)
    _login(lawyer, base, "lawyer_wang", "demo-lawyer-pass")
    _open_task(lawyer, base, demo, "lawyer_wang", "answer_consultation", cid)
    lawyer.select_option("#f-decision", "delegate")
    lawyer.select_option("#f-delegate_to", str(demo.actor("staff_chen").id))
    lawyer.click("form.task-form button[type=submit]")
    lawyer.wait_for_url(f"{base}/tasks/")

    _, staff = _phone(browser)
    _login(staff, base, "staff_chen", "demo-staff-pass")
    _open_task(staff, base, demo, "staff_chen", "draft_answer", cid)
    staff.fill("#f-draft_text", "合同到期不续签的，公司应当支付经济补偿。")
    with staff.expect_response(_draft_saved, timeout=10000):  # leaving the field saves at once
        staff.locator("#f-draft_text").blur()
    # The page writes its status after reading the response: wait for it, do not race it.
    expect(staff.locator(".autosave")).to_contain_text("已自动保存")
    staff.reload()
    assert staff.input_value("#f-draft_text") == "合同到期不续签的，公司应当支付经济补偿。"
    assert _fits(staff)
    staff.click("form.task-form button[type=submit]")
    staff.wait_for_url(f"{base}/tasks/")

    _open_task(lawyer, base, demo, "lawyer_wang", "review_draft", cid)
    assert not lawyer.is_visible("#f-review_comment") and not lawyer.is_visible("#f-keep_flagged")
    lawyer.select_option("#f-draft_decision", "revise")
    assert lawyer.is_visible("#f-review_comment")
    lawyer.select_option("#f-draft_decision", "approve")
    assert not lawyer.is_visible("#f-review_comment") and lawyer.is_visible("#f-keep_flagged")
    lawyer.click("form.task-form button[type=submit]")
    lawyer.wait_for_url(f"{base}/tasks/")
    assert "已提交" in lawyer.content()


def test_an_expert_reviews_on_a_phone(phone_server, browser):
    base, demo = phone_server
    cid = demo.submit(title="工伤认定后公司不赔偿")
    lawyer = demo.lawyer_of(cid)
    demo.complete(lawyer, "answer_consultation", cid, decision="expert_review",
                  answer_text="可以申请工伤保险待遇。")
    expert_id = demo.actor("expert_wu").id
    demo.complete("duty_sun", "assign_expert", cid, expert_id=expert_id)
    _, page = _phone(browser)
    _login(page, base, "expert_wu", "demo-expert-pass")
    _open_task(page, base, demo, "expert_wu", "expert_review", cid)
    assert "可以申请工伤保险待遇。" in page.content()
    assert not page.is_visible("#f-expert_answer_text")
    page.select_option("#f-expert_decision", "replace")
    assert page.is_visible("#f-expert_answer_text")
    page.fill("#f-expert_answer_text", "应先申请工伤认定，再要求用人单位支付工伤保险待遇。")
    assert _fits(page)
    page.click("form.task-form button[type=submit]")
    page.wait_for_url(f"{base}/tasks/")
    assert "已提交" in page.content()


def test_my_answers_on_a_phone(phone_server, browser, screenshots):
    base, demo = phone_server
    cid = demo.submit(title="离职后工资结算")
    lawyer = demo.lawyer_of(cid)
    demo.answer(cid, "离职时公司应一次性结清工资。")
    demo.complete("citizen_zhang", "rate_answer", cid, satisfied=True,
                  feedback_comment="解答很清楚，谢谢律师。", wants_referral=False)
    _, page = _phone(browser)
    _login(page, base, lawyer, "demo-lawyer-pass")
    page.click("header.site a:has-text('我的解答')")
    page.wait_for_url(f"{base}/tasks/my-answers")
    assert "离职后工资结算" in page.content()
    assert "咨询人满意：解答很清楚，谢谢律师。" in page.content()
    assert _fits(page)
    page.screenshot(path=str(screenshots / "my-answers.png"), full_page=True)


def test_the_inbox_is_shown_offline_with_a_banner(phone_server, browser, screenshots):
    base, demo = phone_server
    cid = demo.submit(title="离线时也要看到的待办")
    lawyer = demo.lawyer_of(cid)
    context, page = _phone(browser)
    _login(page, base, lawyer, "demo-lawyer-pass")
    page.goto(f"{base}/tasks/")
    page.evaluate("navigator.serviceWorker.ready")  # installed and controlling after a reload
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.goto(f"{base}/tasks/")  # this fetch is the copy kept for offline use
    assert not page.is_visible("#offline-banner")
    page.wait_for_timeout(300)  # the copy is written after the page is answered
    context.set_offline(True)
    page.reload()
    assert page.is_visible("#offline-banner")
    assert page.inner_text("#offline-banner") == "离线：显示的是上次获取的待办"
    assert "离线时也要看到的待办" in page.content()
    assert _fits(page)
    page.screenshot(path=str(screenshots / "lawyer-offline.png"), full_page=True)
    context.set_offline(False)


def test_lawyer_answers_with_progressive_fields_and_autosave(phone_server, browser,
                                                             screenshots):
    base, demo = phone_server
    cid = demo.submit(title="公司拖欠三个月工资")
    lawyer = demo.lawyer_of(cid)
    _, page = _phone(browser)
    _login(page, base, lawyer, "demo-lawyer-pass")
    _open_task(page, base, demo, lawyer, "answer_consultation", cid)
    # Only the decision (and the flags every decision may raise) before choosing.
    for hidden in ("#f-answer_text", "#f-refuse_reason", "#f-delegate_to", "#f-keep_flagged"):
        assert not page.is_visible(hidden)
    assert page.is_visible("#f-decision") and page.is_visible("#f-sensitive")
    page.select_option("#f-decision", "refuse")
    assert page.is_visible("#f-refuse_reason") and not page.is_visible("#f-answer_text")
    page.select_option("#f-decision", "delegate")
    assert page.is_visible("#f-delegate_to") and not page.is_visible("#f-refuse_reason")
    page.select_option("#f-decision", "answer")
    assert page.is_visible("#f-answer_text") and page.is_visible("#f-keep_flagged")
    assert not page.is_visible("#f-delegate_to")
    # A pause in typing saves. Choosing the decision above saved too: wait for the save that
    # carries the typed answer, not a slower earlier one.
    with page.expect_response(lambda r: _draft_saved(r) and TYPED in (r.request.post_data or ""),
                              timeout=10000):
        page.fill("#f-answer_text", TYPED)
    expect(page.locator(".autosave")).to_have_text(re.compile(r"已自动保存 \d\d:\d\d"))
    assert _fits(page)
    page.screenshot(path=str(screenshots / "lawyer-task-progressive.png"), full_page=True)

    page.reload()  # the typed answer comes back, with the decision that shows it
    assert page.input_value("#f-answer_text") == TYPED
    assert page.is_visible("#f-answer_text") and page.is_visible(".draft-restored")
    saved_at = re.search(r"\d\d:\d\d", page.inner_text(".autosave")).group(0)
    assert saved_at in page.inner_text(".draft-restored")  # one clock on the page

    # An administrator moves the instance while the page is open (last in this module: the
    # new version then takes every later consultation).
    _migrate(demo, cid)
    page.click("form.task-form button[type=submit]")
    page.wait_for_load_state()
    assert "提交前的输入已自动保存" in page.content()  # the stale page's revision: a conflict
    page.click("text=重新打开此任务")
    page.wait_for_selector("form.task-form")
    assert page.input_value("#f-answer_text") == TYPED
    assert "已恢复您在" in page.inner_text(".draft-restored")
    assert _fits(page)
    page.screenshot(path=str(screenshots / "lawyer-draft-restored.png"), full_page=True)
    page.click("form.task-form button[type=submit]")
    page.wait_for_url(f"{base}/tasks/")
    assert "已提交" in page.content()
