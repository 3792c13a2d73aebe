"""A citizen asks, the lawyer answers on a phone, the citizen reads and rates the answer."""
import re

import pytest

from tests.browser.conftest import PHONE
from tests.factories import log_in_page

pytestmark = pytest.mark.browser

ANSWER = "您可以向劳动争议仲裁委员会申请仲裁，要求支付拖欠的工资。<b>请保留工资条</b>"


def _fits_the_screen(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_ask_answer_on_a_phone_and_rate(live_server, browser, screenshots):
    base, demo = live_server
    citizen = browser.new_context(locale="zh-CN").new_page()
    log_in_page(citizen, base, "citizen_zhang")
    citizen.goto(f"{base}/consultations/new")
    citizen.fill("#f-title", "公司拖欠三个月工资")
    citizen.fill("#f-question", "我在一家餐饮公司工作，公司已经三个月没有发工资了，我该怎么办？")
    citizen.select_option("#f-category", "labor")
    citizen.select_option("#f-case_status", "none")
    citizen.fill("#f-contact_phone", "13912345678")
    citizen.click("form.card button[type=submit]")
    citizen.wait_for_url(re.compile(r"/consultations/\d+$"))
    cid = int(citizen.url.rsplit("/", 1)[-1])
    assert "公司拖欠三个月工资" in citizen.content()

    lawyer = demo.lawyer_of(cid)
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="zh-CN").new_page()
    log_in_page(phone, base, lawyer)
    phone.goto(f"{base}/tasks/")
    assert "公司拖欠三个月工资" in phone.content() and "剩余 4 小时" in phone.content()
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(screenshots / "lawyer-inbox.png"), full_page=True)

    phone.click("text=公司拖欠三个月工资")
    phone.wait_for_selector("#f-decision")
    assert "13912345678" not in phone.content()  # lawyers never see contact details
    assert _fits_the_screen(phone)
    phone.screenshot(path=str(screenshots / "lawyer-task.png"), full_page=True)
    phone.select_option("#f-decision", "answer")
    phone.fill("#f-answer_text", ANSWER)
    phone.click("form.task-form button[type=submit]")
    phone.wait_for_url(f"{base}/tasks/")
    assert "已提交" in phone.content()

    citizen.reload()
    answer = citizen.locator(".answer-card .answer").first
    assert answer.inner_text() == ANSWER  # markup shown as text
    assert citizen.locator(".answer-card b").count() == 0
    citizen.check("input[name=satisfied][value=true]")
    citizen.fill("#f-feedback_comment", "解答很清楚，谢谢律师。")
    citizen.click("form.rate button[type=submit]")
    citizen.wait_for_load_state()
    assert "感谢您的评价" in citizen.content()
    assert citizen.locator("form.rate").count() == 0


def test_unanswered_rating_is_refused_beside_the_question(live_server, browser):
    base, demo = live_server
    cid = demo.submit()
    demo.answer(cid, "可以申请劳动仲裁。")
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in_page(page, base, "citizen_zhang")
    page.goto(f"{base}/consultations/{cid}")
    page.click("form.rate button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#satisfied-error").is_visible()
    assert _fits_the_screen(page)
