"""`flask --app web worker`: fire due timers, send queued e-mail, anchor the audit chain."""
import logging
import os
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale

from engine import worker as engine_worker
from engine.audit.anchor import AnchorSchedule
from engine.db import make_sessionmaker
from engine.notifications import outbox
from engine.notifications.delivery import SmtpConfig
from web.engine_messages import engine_text


def smtp_config(config) -> SmtpConfig | None:
    """The worker's SMTP settings from the app config (`web.config`); None without SMTP_HOST."""
    if not config["SMTP_HOST"]:
        return None
    return SmtpConfig(
        host=config["SMTP_HOST"], port=config["SMTP_PORT"],
        username=config["SMTP_USERNAME"] or None, password=config["SMTP_PASSWORD"] or None,
        starttls=config["SMTP_STARTTLS"], ca_file=config["SMTP_CA_FILE"] or None,
        mail_from=config["MAIL_FROM"], secret=config["SECRET_KEY"],
        base_url=config["BASE_URL"], localize=in_readers_language)


def in_readers_language(locale: str | None, subject: str, body: str,
                        message: dict | None) -> tuple[str, str]:
    """A notification's subject and body in its recipient's saved language (Chinese when they
    saved none), for its e-mail."""
    if locale not in current_app.config["LANGUAGES"]:
        locale = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(locale):
        return outbox.localized(subject, body, message, engine_text)


def anchor_schedule(config) -> AnchorSchedule | None:
    """The audit anchors' file and period from the app config; None when no file is set."""
    if not config["AUDIT_ANCHOR_FILE"]:
        return None
    return AnchorSchedule(config["AUDIT_ANCHOR_FILE"],
                          timedelta(minutes=config["AUDIT_ANCHOR_MINUTES"]))


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one sweep and exit.")
@click.option("--poll-interval", default=5.0, show_default=True, type=float,
              help="Longest sleep between sweeps, in seconds.")
@with_appcontext
def worker(once: bool, poll_interval: float) -> None:
    """Fire due timers and deliver queued e-mail until stopped (SIGTERM exits cleanly)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    config = current_app.config
    mail = smtp_config(config)
    if mail is None:
        click.echo("SMTP_HOST not set: notifications stay in the web inbox only.", err=True)
    elif mail.ca_file and not os.path.isfile(mail.ca_file):
        # Said now, rather than as a failed attempt on every e-mail.
        raise click.ClickException(f"SMTP_CA_FILE={mail.ca_file!r}: no such file")
    sessions = make_sessionmaker(config["SQLALCHEMY_DATABASE_URI"], audit_key=config["AUDIT_KEY"])
    try:
        engine_worker.run(sessions, mail, poll_interval=poll_interval, once=once,
                          anchors=anchor_schedule(config))
    finally:
        sessions.kw["bind"].dispose()


def init_app(app) -> None:
    """Register the `worker` command on the app's CLI."""
    app.cli.add_command(worker)
