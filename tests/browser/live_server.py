"""The real app served from a background thread, for browser tests: a temp-file SQLite
database with processes/ deployed and users with a known password."""
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from engine.models import Base
from engine.people import users
from engine.workflow import versions
from tests.factories import PASSWORD
from web import create_app
from web.extensions import db

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


class LiveServer:
    """`with LiveServer(tmp_path, designer="designer") as server:` ... `server.url`."""

    def __init__(self, tmp_path: Path, **accounts: str):
        self.app = create_app({
            "TESTING": True, "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'browser.db'}",
            "LOGIN_RATE_LIMIT": "1000/minute", "SUBMIT_RATE_LIMIT": "1000/minute",
        })
        with self.app.app_context():
            Base.metadata.create_all(db.engine)
            versions.deploy(db.session, [ROOT / "processes"], reason="browser test")
            for username, role in accounts.items():
                users.create_user(db.session, username, role, password=PASSWORD)
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def call(self, use_case, *args, **kwargs):
        """Run an engine function on the server's database, e.g. to seed instances."""
        with self.app.app_context():
            return use_case(db.session, *args, **kwargs)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()


@contextmanager
def chromium_page() -> Iterator:
    """A page in headless Debian Chromium (Playwright's sync API; no browser is downloaded)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        page.set_default_timeout(20_000)
        try:
            yield page
        finally:
            browser.close()
