"""`flask --app web migrate` and `flask --app web rollback`: move running instances between
process versions from the command line (the engine's migration use cases, nothing more)."""
import getpass

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from engine.actor import Actor
from engine.db import make_sessionmaker
from engine.errors import EngineError
from engine.models import User
from engine.workflow import migration
from engine.workflow.versions import find_version


def _version_ref(_ctx, _param, value: str) -> tuple[str, int]:
    key, _, number = value.rpartition(":")
    if not key or not number.isdigit():
        raise click.BadParameter(f"{value!r}: expected KEY:VERSION, e.g. consultation:2")
    return key, int(number)


def cli_actor(session, username: str | None = None) -> Actor:
    """The named admin, or the operating-system user at the terminal (recorded by name)."""
    if username is None:
        return Actor(id=None, role="admin", username=f"cli:{getpass.getuser()}")
    user = session.scalar(select(User).where(User.username == username))
    if user is None or user.role != "admin":
        raise click.ClickException(f"{username!r} is not an administrator account")
    return Actor.of(user)


class _Progress:
    """A click progress bar opened on the first report, when the total is known."""

    def __init__(self, label: str):
        self.label, self.bar = label, None

    def __call__(self, done: int, total: int, _report) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label)
            self.bar.__enter__()
        self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _summary(reports, dry_run: bool) -> None:
    click.echo(f"{'instance':>8}  {'business key':<14} {'result':<12} {'reset tasks':<28} reason")
    for r in reports:
        if dry_run:
            result = "can migrate" if r.can_migrate else "refused"
        else:
            result = "migrated" if r.migrated else "refused"
        reset = ",".join(n.bpmn_id for n in r.reset_tasks) or "-"
        click.echo(f"{r.instance_id:>8}  {r.business_key or '-':<14} {result:<12} {reset:<28} "
                   f"{r.reason}".rstrip())
    good = sum(1 for r in reports if (r.can_migrate if dry_run else r.migrated))
    verb = "can migrate" if dry_run else "migrated"
    click.echo(f"{good} of {len(reports)} {verb}, {len(reports) - good} refused")


@click.command("migrate")
@click.option("--from", "source", required=True, callback=_version_ref, metavar="KEY:V")
@click.option("--to", "target", required=True, callback=_version_ref, metavar="KEY:V")
@click.option("--instance", "instance_ids", type=int, multiple=True,
              help="Repeat for several; all running instances of the old version by default.")
@click.option("--dry-run", is_flag=True, help="Report what would happen; change nothing.")
@click.option("--reason", default="", help="Why (required unless --dry-run); audited.")
@click.option("--by", "username", default=None, help="The administrator account acting.")
@with_appcontext
def migrate_command(source, target, instance_ids, dry_run, reason, username):
    """Move running instances of a process version to another version."""
    if not dry_run and not reason.strip():
        raise click.ClickException("--reason is required (except with --dry-run)")
    Session = make_sessionmaker(current_app.config["SQLALCHEMY_DATABASE_URI"],
                                audit_key=current_app.config.get("AUDIT_KEY"))
    progress = _Progress("dry run" if dry_run else "migrating")
    try:
        with Session() as session:
            old, new = find_version(session, *source).id, find_version(session, *target).id
            actor = cli_actor(session, username)
            session.rollback()
            ids = list(instance_ids) or None
            if dry_run:
                reports = migration.dry_run(session, old, new, ids, progress=progress)
            else:
                reports = migration.migrate(session, old, new, ids, actor, reason,
                                            progress=progress).instances
    except EngineError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        progress.close()
        Session.kw["bind"].dispose()
    _summary(reports, dry_run)


@click.command("rollback")
@click.argument("instance_id", type=int)
@click.option("--reason", default="", help="Why (required); kept in the audit log.")
@click.option("--force", is_flag=True, help="Even if the instance has moved on since.")
@click.option("--by", "username", default=None, help="The administrator account acting.")
@with_appcontext
def rollback_command(instance_id, reason, force, username):
    """Put a migrated instance back on its previous version and state."""
    if not reason.strip():
        raise click.ClickException("--reason is required")
    Session = make_sessionmaker(current_app.config["SQLALCHEMY_DATABASE_URI"],
                                audit_key=current_app.config.get("AUDIT_KEY"))
    try:
        with Session() as session:
            actor = cli_actor(session, username)
            session.rollback()
            migration.rollback(session, instance_id, actor, reason, force=force)
    except EngineError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        Session.kw["bind"].dispose()
    click.echo(f"instance {instance_id} rolled back")


def init_app(app: Flask) -> None:
    """Register the migrate and rollback commands on the app's CLI."""
    app.cli.add_command(migrate_command)
    app.cli.add_command(rollback_command)
