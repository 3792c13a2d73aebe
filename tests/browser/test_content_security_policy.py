"""The pages' scripts run under the Content-Security-Policy: the modeler (BPMN and the DMN
table), the version viewer and the charts page work with no CSP report in the console."""
import os

import pytest
from sqlalchemy import select

from engine.actor import Actor
from engine.consultation import cases
from engine.models import User
from tests.browser.live_server import CHROMIUM, LiveServer, chromium_page
from tests.factories import QUESTION, log_in_page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium")]


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path, designer="designer", supervisor="supervisor",
                    duty="duty_officer", citizen="citizen") as live:
        yield live


def _watch(page) -> list[str]:
    """What the browser refused under the policy, and uncaught exceptions, as text."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{m.text} {m.location.get('url')}")
            if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: seen.append(str(e)))
    return seen


def test_modeler_and_viewer_run_under_the_policy(server):
    pytest.importorskip("playwright.sync_api")
    with chromium_page() as page:
        problems = _watch(page)
        log_in_page(page, server.url, "designer")
        response = page.goto(f"{server.url}/designer/versions/1/edit")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_selector("body[data-modeler-ready=true]")
        page.wait_for_selector('.djs-element[data-element-id="answer_consultation"]')
        page.click('.fw-tab[data-file="screening.dmn"]')
        page.wait_for_selector(".tjs-table")
        page.goto(f"{server.url}/designer/versions/1")
        page.wait_for_selector('.djs-element[data-element-id="answer_consultation"]')
        assert problems == []


def test_charts_and_autosubmit_filters_run_under_the_policy(server):
    pytest.importorskip("playwright.sync_api")
    with chromium_page() as page:
        problems = _watch(page)
        citizen = server.call(lambda s: Actor.of(s.scalar(select(User).filter_by(
            username="citizen"))))
        server.call(cases.submit, citizen, QUESTION)  # something to chart
        log_in_page(page, server.url, "supervisor")
        page.goto(f"{server.url}/supervise/reports")
        page.wait_for_function("() => window.Chart && Chart.getChart('chart-within')")
        log_in_page(page, server.url, "duty")
        page.goto(f"{server.url}/board/")
        with page.expect_navigation():
            page.select_option("#status", index=1)
        assert "status=" in page.url
        assert problems == []
