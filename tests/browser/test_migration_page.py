"""An administrator compares consultation v1 and v2, dry-runs and migrates the waiting
instances with the progress bar, and rolls one back from the results."""
import os

import pytest
from sqlalchemy import select

from engine.models import ProcessInstance
from engine.workflow import versions
from tests.browser.live_server import CHROMIUM, LiveServer, chromium_page
from tests.factories import deploy_consultation_v2, log_in_page, seed, submit

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium")]


def versions_of_instances(session) -> list[int]:
    rows = session.scalars(select(ProcessInstance).order_by(ProcessInstance.id))
    return [row.version.number for row in rows if row.process_key == "consultation"]


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path, admin1="admin") as live:
        world = live.call(seed)
        for _ in range(3):
            live.call(submit, world)
        live.call(deploy_consultation_v2, live.call(versions.latest_version, "consultation"))
        yield live


@pytest.fixture
def page(server):
    pytest.importorskip("playwright.sync_api")
    with chromium_page() as page:
        page.on("dialog", lambda d: d.accept("迁移后发现问题") if d.type == "prompt"
                else d.accept())
        yield page


def test_dry_run_migrate_and_roll_back(page, server):
    log_in_page(page, server.url, "admin1")
    page.goto(f"{server.url}/admin/migrations?key=consultation&from=1&to=2")
    page.wait_for_selector(".fw-side-new .fw-canvas[data-ready=true]")
    changed = page.locator('.fw-side-old .djs-element.fw-changed[data-element-id='
                           '"gw_held"]')
    assert changed.count() == 1

    page.click("#fw-dry-all")
    page.wait_for_function("() => document.querySelectorAll('#fw-results tr').length === 3")
    assert page.locator("#fw-results td.ok").count() == 3
    assert "answer_consultation" in page.inner_text("#fw-results")

    page.click("#fw-migrate-all")
    assert "请填写迁移原因" in page.inner_text("#fw-status")
    page.fill("#fw-reason", "增加质量抽查")
    page.click("#fw-migrate-all")
    page.wait_for_selector("body[data-migration-done=true]")
    assert page.eval_on_selector("#fw-progress", "p => [p.value, p.max]") == [3, 3]
    assert "3 个已迁移，0 个被拒绝" in page.inner_text("#fw-status")
    assert server.call(versions_of_instances) == [2, 2, 2]

    page.locator(".fw-rollback").first.click()
    page.wait_for_selector("#fw-results td:has-text('已回滚')")
    assert server.call(versions_of_instances) == [1, 2, 2]
