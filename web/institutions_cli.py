"""`flask --app web institutions deactivate|activate NAME`: a resident institution's
residency ends (its members' open work goes to the duty officers at once) or resumes."""
import click
from flask.cli import AppGroup

from engine.actor import Actor
from engine.errors import InvalidInput, NotFound
from engine.people import institutions

from .extensions import db

institutions_cli = AppGroup("institutions", help="Resident institutions (驻场机构).")


def _named(name: str) -> int:
    try:
        return institutions.id_named(db.session, name)
    except NotFound as exc:
        raise click.ClickException(exc.message) from exc


@institutions_cli.command("deactivate")
@click.argument("name")
@click.option("--reason", required=True, help="Why it ends; kept in the audit log.")
def deactivate(name, reason):
    """End an institution's residency: its members can do nothing and their open work is
    queued for the duty officers to reassign."""
    try:
        institutions.end_residency(db.session, Actor.system(), _named(name), reason)
    except InvalidInput as exc:
        raise click.BadParameter(exc.message, param_hint="--reason") from exc
    click.echo(f"{name}: residency ended; its members' open work waits for reassignment")


@institutions_cli.command("activate")
@click.argument("name")
def activate(name):
    """Resume an institution's residency (work reassigned meanwhile stays where it went)."""
    institutions.resume_residency(db.session, Actor.system(), _named(name))
    click.echo(f"{name}: resident again")
