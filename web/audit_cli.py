"""`flask --app web audit verify|protect`: check the audit hash chain, guard audit rows."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from engine.audit import verify as audit_verify
from engine.db import make_sessionmaker

audit = AppGroup("audit", help="The append-only audit log.")


def _sessions():
    return make_sessionmaker(current_app.config["SQLALCHEMY_DATABASE_URI"])


@audit.command("verify")
@with_appcontext
def verify() -> None:
    """Recompute the hash chain; name the first altered row (exit status 1 if any)."""
    sessions = _sessions()
    try:
        with sessions() as session:
            result = audit_verify.verify(session)
    finally:
        sessions.kw["bind"].dispose()
    click.echo(result.message(), err=not result.ok)
    if not result.ok:
        raise SystemExit(1)


@audit.command("protect")
@click.option("--remove", is_flag=True, help="Drop the triggers instead (maintenance).")
@with_appcontext
def protect(remove: bool) -> None:
    """Install database triggers that refuse UPDATE and DELETE on audit rows."""
    sessions = _sessions()
    try:
        with sessions() as session:
            (audit_verify.unprotect if remove else audit_verify.protect)(session)
    finally:
        sessions.kw["bind"].dispose()
    click.echo("audit guard removed" if remove else "audit guard installed")


def init_app(app) -> None:
    """Register the `audit` command group on the app's CLI."""
    app.cli.add_command(audit)
