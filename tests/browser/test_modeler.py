"""A designer opens the web modeler, renames a task in the properties panel, deploys with a
reason and sees version 2 listed. Drives Debian's Chromium; never downloads a browser."""
import os

import pytest

from tests.browser.live_server import CHROMIUM, LiveServer, chromium_page
from tests.factories import log_in_page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium")]
NEW_NAME = "解答咨询（5小时内）"
CENTRE_ON = """id => {
  const canvas = window.fwModeler.get('canvas');
  const el = window.fwModeler.get('elementRegistry').get(id);
  canvas.zoom(1);
  const box = canvas.viewbox();
  canvas.viewbox({x: el.x + el.width / 2 - box.width / 2, y: el.y + el.height / 2 - box.height / 2,
                  width: box.width, height: box.height});
}"""


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path, designer="designer") as live:
        yield live


@pytest.fixture
def page(server):
    pytest.importorskip("playwright.sync_api")
    with chromium_page() as page:
        yield page


def test_rename_a_task_in_the_properties_panel_and_deploy(page, server, screenshots):
    log_in_page(page, server.url, "designer")
    page.goto(f"{server.url}/designer/")
    assert page.locator("#process-consultation tr.fw-version").count() == 1
    page.locator("#process-consultation").get_by_role("link", name="在建模器中打开").click()
    page.wait_for_selector("body[data-modeler-ready=true]")

    page.evaluate(CENTRE_ON, "answer_consultation")
    page.click('.djs-element[data-element-id="answer_consultation"]', force=True)
    assert page.inner_text(".bio-properties-panel-header-label") == "解答咨询"
    general = page.locator('[data-group-id="group-general"]')
    if not general.locator("#bio-properties-panel-name").is_visible():
        general.locator(".bio-properties-panel-group-header").click()
    page.fill("#bio-properties-panel-name", NEW_NAME)
    page.wait_for_function(
        "name => window.fwModeler.get('elementRegistry').get('answer_consultation')"
        ".businessObject.name === name", arg=NEW_NAME)
    page.evaluate(CENTRE_ON, "answer_consultation")

    page.fill("#fw-reason", "解答期限写进任务名称")
    page.click("#fw-deploy")
    page.wait_for_selector("#fw-confirm[open]")
    change = page.locator('#fw-confirm .fw-diff-changed[data-element="answer_consultation"]')
    assert NEW_NAME in change.inner_text() and "bpmn_name" in change.inner_text()
    page.click("#fw-confirm-deploy")
    deployed = page.locator("a.fw-deployed", has_text="consultation v2")
    deployed.wait_for()
    assert "新版本" in deployed.inner_text()
    page.screenshot(path=str(screenshots / "modeler.png"))

    page.goto(f"{server.url}/designer/")
    numbers = page.locator("#process-consultation tr.fw-version").evaluate_all(
        "rows => rows.map(r => r.dataset.number)")
    assert numbers == ["2", "1"]
    page.locator("#process-consultation tr.fw-version").first.get_by_role(
        "link", name="查看", exact=True).click()
    task = page.locator('.djs-element[data-element-id="answer_consultation"]')
    task.wait_for()
    assert task.text_content() == NEW_NAME


def test_validation_problems_are_shown_on_their_elements(page, server):
    log_in_page(page, server.url, "designer")
    page.goto(f"{server.url}/designer/versions/1/edit")
    page.wait_for_selector("body[data-modeler-ready=true]")
    page.evaluate("""() => {
      const registry = window.fwModeler.get('elementRegistry');
      const lane = registry.filter(
        e => e.type === 'bpmn:Lane' && e.businessObject.name === '驻场律师')[0];
      window.fwModeler.get('modeling').updateProperties(lane, {name: '律师助理'});
    }""")
    page.click("#fw-validate")
    page.wait_for_selector(".fw-problem-item")
    assert "律师助理" in page.inner_text("#fw-problems")
    marked = page.locator('.djs-element.fw-problem[data-element-id="answer_consultation"]')
    assert marked.count() == 1
    assert page.locator('.djs-overlays[data-container-id="answer_consultation"] '
                        '.fw-problem-badge').count() == 1
    assert "has-problem" in page.get_attribute('.fw-tab[data-file="consultation.bpmn"]', "class")
    page.locator(".fw-problem-item", has_text="answer_consultation").first.click()
    assert page.inner_text(".bio-properties-panel-header-label") == "解答咨询"
