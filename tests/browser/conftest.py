"""The real app on a real server (werkzeug, in a thread) and Debian's Chromium via Playwright.

SQLite in a temp dir, the diagrams deployed, demo users seeded. Never downloads a browser:
without /usr/bin/chromium the browser tests are skipped.
"""
import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from engine.models import Base
from tests.browser.live_server import CHROMIUM, CHROMIUM_ARGS
from tests.drivers import Demo
from web import create_app
from web.extensions import db

PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is absent (apt-get install chromium); "
                                   "browser tests never download a browser")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """(base URL, Demo helper) for a server on a free port, stopped after the session."""
    path = tmp_path_factory.mktemp("browser") / "app.db"
    app = create_app({"SECRET_KEY": "browser-test-secret", "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{path}", "LOGIN_RATE_LIMIT": "1000/minute"})
    with app.app_context():
        Base.metadata.create_all(db.engine)
    demo = Demo(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", demo
    server.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    """Chromium for one test (Playwright's sync API cannot nest, so none outlives its test)."""
    playwright = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is absent")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def screenshots(tmp_path) -> Path:
    """Where screenshots go: docs/screenshots (for the README) with UPDATE_SCREENSHOTS=1,
    else a temporary folder, so a test run leaves the work tree clean."""
    target = DOCS_SCREENSHOTS if os.environ.get("UPDATE_SCREENSHOTS") == "1" else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target
