"""`flask --app web worker`: fire due timers, send queued e-mail, anchor the audit chain."""
import logging
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext

from engine import worker as engine_worker
from engine.audit.anchor import AnchorSchedule
from engine.db import make_sessionmaker
from engine.notifications.outbox import SmtpConfig


def smtp_config(config) -> SmtpConfig | None:
    """SMTP settings from the app config; None (no e-mail) when SMTP_HOST is not set.

    SMTP_USER / SMTP_FROM (web.config's names) are read when SMTP_USERNAME / MAIL_FROM are not.
    """
    host = config.get("SMTP_HOST")
    if not host:
        return None
    return SmtpConfig(
        host=host,
        port=int(config.get("SMTP_PORT") or 25),
        username=config.get("SMTP_USERNAME") or config.get("SMTP_USER") or None,
        password=config.get("SMTP_PASSWORD") or None,
        starttls=_flag(config.get("SMTP_STARTTLS", False)),
        mail_from=config.get("MAIL_FROM") or config.get("SMTP_FROM") or "noreply@localhost",
        secret=config.get("SECRET_KEY") or "",
        base_url=config.get("BASE_URL") or "",
    )


def anchor_schedule(config) -> AnchorSchedule | None:
    """The audit anchors' file and period from the app config; None when no file is set."""
    path = config.get("AUDIT_ANCHOR_FILE")
    if not path:
        return None
    return AnchorSchedule(path, timedelta(minutes=float(config.get("AUDIT_ANCHOR_MINUTES") or 10)))


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one sweep and exit.")
@click.option("--poll-interval", default=5.0, show_default=True, type=float,
              help="Longest sleep between sweeps, in seconds.")
@with_appcontext
def worker(once: bool, poll_interval: float) -> None:
    """Fire due timers and deliver queued e-mail until stopped (SIGTERM exits cleanly)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = current_app.config
    sessions = make_sessionmaker(config["SQLALCHEMY_DATABASE_URI"],
                                 audit_key=config.get("AUDIT_KEY"))
    mail = smtp_config(config)
    if mail is None:
        click.echo("SMTP_HOST not set: notifications stay in the web inbox only.", err=True)
    try:
        engine_worker.run(sessions, mail, poll_interval=poll_interval, once=once,
                          anchors=anchor_schedule(config))
    finally:
        sessions.kw["bind"].dispose()


def init_app(app) -> None:
    """Register the `worker` command on the app's CLI."""
    app.cli.add_command(worker)
