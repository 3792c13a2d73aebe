"""The duty officer's board on a phone: search, flag filter, time left, nothing overflowing."""
import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def test_the_duty_officer_finds_a_flagged_case_on_a_phone(live_server, browser, screenshots):
    base, demo = live_server
    flagged = demo.submit(title="独居老人被骗养老钱", vulnerable=True)
    demo.answer(flagged, sensitive=True)
    demo.submit(title="房屋租赁押金不退")
    phone = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True,
                                has_touch=True, locale="zh-CN").new_page()
    phone.goto(f"{base}/auth/login")
    phone.fill("input[name=username]", "duty_sun")
    phone.fill("input[name=password]", "demo-duty-officer-pass")
    phone.click("form.card button[type=submit]")
    phone.wait_for_load_state()
    phone.goto(f"{base}/board/")
    assert "剩余" in phone.content()
    with phone.expect_navigation():  # a filter applies as soon as it is chosen
        phone.select_option("#flag", "sensitive")
    content = phone.content()
    assert "独居老人被骗养老钱" in content and "房屋租赁押金不退" not in content
    phone.fill("#q", "押金")
    with phone.expect_navigation():
        phone.select_option("#flag", "")
    content = phone.content()
    assert "房屋租赁押金不退" in content and "独居老人被骗养老钱" not in content
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.screenshot(path=str(screenshots / "duty-board.png"), full_page=True)
