"""The web modeler speaks the engine's language: Chinese palette, context pad and properties
panel on Chinese pages (English on English ones), only the properties the engine executes, a
readable zoom beside the palette, and a confirmation with the diff before deploying."""
import os

import pytest

from tests.browser.live_server import CHROMIUM, LiveServer, chromium_page
from tests.factories import log_in_page

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium")]
USER_TASK_GROUPS = ["常规", "说明", "任务分配", "表单", "表单字段"]
SELECT = """id => { const m = window.fwModeler;
  m.get('selection').select(m.get('elementRegistry').get(id)); }"""
# Shapes drawn under the palette: every visible shape's left edge against the palette's right.
UNDER_PALETTE = """() => {
  const palette = document.querySelector('#fw-bpmn .djs-palette').getBoundingClientRect();
  const canvas = document.querySelector('#fw-bpmn').getBoundingClientRect();
  return [...document.querySelectorAll('#fw-bpmn .djs-shape .djs-visual')].filter(v => {
    const r = v.getBoundingClientRect();
    return r.width && r.right > canvas.left && r.left < canvas.right && r.bottom > canvas.top
      && r.top < canvas.bottom && r.left < palette.right && r.top < palette.bottom
      && r.bottom > palette.top;
  }).length; }"""


@pytest.fixture
def server(tmp_path):
    with LiveServer(tmp_path, designer="designer") as live:
        yield live


@pytest.fixture
def page(server):
    pytest.importorskip("playwright.sync_api")
    with chromium_page() as page:
        log_in_page(page, server.url, "designer")
        yield page


def open_modeler(page, server):
    page.goto(f"{server.url}/designer/versions/1/edit")
    page.wait_for_selector("body[data-modeler-ready=true]")


def group_labels(page) -> list[str]:
    return page.locator(".bio-properties-panel-group-header-title").all_inner_texts()


def test_modeler_in_chinese_with_the_engines_properties_only(page, server, screenshots):
    open_modeler(page, server)
    assert page.get_attribute('.djs-palette [data-action="create.task"]', "aria-label") == "任务"
    assert page.get_attribute('.djs-palette [data-action="hand-tool"]', "aria-label") == "抓手工具"

    zoom = page.evaluate("() => window.fwModeler.get('canvas').zoom()")
    assert 0.75 <= zoom <= 1
    assert page.evaluate(UNDER_PALETTE) == 0
    start = page.locator('.djs-element[data-element-id="start"]').bounding_box()
    canvas = page.locator("#fw-bpmn").bounding_box()
    assert canvas["x"] < start["x"] < canvas["x"] + canvas["width"]
    assert canvas["y"] < start["y"] < canvas["y"] + canvas["height"]

    page.evaluate(SELECT, "answer_consultation")
    page.wait_for_selector('[data-group-id="group-CamundaPlatform__UserAssignment"]')
    assert group_labels(page) == USER_TASK_GROUPS
    assignment = page.locator('[data-group-id="group-CamundaPlatform__UserAssignment"]')
    assignment.locator(".bio-properties-panel-group-header").click()
    assert assignment.locator("label").all_inner_texts() == ["办理人", "候选组"]
    assert page.locator('.djs-context-pad [data-action="append.append-task"]').get_attribute(
        "title") == "追加任务"
    page.screenshot(path=str(screenshots / "modeler-zh.png"))

    page.evaluate(SELECT, "stage_overdue")
    page.wait_for_selector('[data-group-id="group-timer"]')
    assert group_labels(page) == ["常规", "说明", "定时器"]
    page.evaluate(SELECT, "screen_question")
    page.wait_for_selector('[data-group-id="group-CamundaPlatform__Implementation"]')
    assert group_labels(page) == ["常规", "说明", "实现"]
    assert "异步延续" not in page.inner_text("#fw-properties")

    page.click('.fw-tab[data-file="screening.dmn"]')
    page.wait_for_selector("#fw-dmn .tjs-table")
    table = page.inner_text("#fw-dmn")
    assert "命中策略" in table and "查看决策需求图" in table


def test_modeler_in_english_when_the_interface_is_english(page, server):
    page.goto(f"{server.url}/designer/")
    page.click("button[name=lang][value=en]")
    open_modeler(page, server)
    assert page.get_attribute('.djs-palette [data-action="create.task"]', "aria-label") == \
        "Create task"
    page.evaluate(SELECT, "answer_consultation")
    page.wait_for_selector('[data-group-id="group-CamundaPlatform__UserAssignment"]')
    assert group_labels(page) == ["General", "Documentation", "User assignment", "Forms",
                                  "Form fields"]


def test_deploy_asks_first_and_shows_the_diff(page, server):
    open_modeler(page, server)
    page.evaluate("""() => { const m = window.fwModeler;
      const timer = m.get('elementRegistry').get('stage_overdue');
      m.get('modeling').updateProperties(timer, {name: '6小时'}); }""")
    page.fill("#fw-reason", "改名")
    page.click("#fw-deploy")
    page.wait_for_selector("#fw-confirm[open]")
    assert "相对运行中的 v1" in page.inner_text('#fw-confirm .fw-preview[data-key="consultation"]')
    assert "6小时" in page.inner_text('#fw-confirm .fw-diff-changed[data-element="stage_overdue"]')
    assert page.locator('.djs-element.fw-changed[data-element-id="stage_overdue"]').count() == 1
    page.click("#fw-confirm button[value=cancel]")
    page.wait_for_selector("#fw-status:has-text('已取消部署')")
    assert page.locator(".fw-deployed").count() == 0
    assert page.locator(".fw-changed").count() == 0
