"""The real app served from a background thread, for browser tests: a temp-file SQLite
database with processes/ deployed and users with a known password."""
import threading
from pathlib import Path

from werkzeug.serving import make_server

from engine import users, versions
from engine.models import Base
from web import create_app
from web.extensions import db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
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
