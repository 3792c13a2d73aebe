"""`flask --app web ...` commands: users create|disable|enable|reset-password, seed-demo,
init-db; institutions, deploy and export too."""
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_migrate import upgrade

from engine.actor import Actor
from engine.audit import verify as audit_verify
from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.people import demo
from engine.people import users as user_cases
from engine.people.roles import ROLES

from .extensions import db
from .institutions_cli import institutions_cli
from .process_cli import deploy, export

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, help=f"One of: {', '.join(ROLES)}")
@click.option("--institution", default=None, help="Institution name (created when new).")
@click.option("--password", default=None, help="Prompted for when omitted on a terminal.")
@click.option("--display-name", default="", help="Name shown to others.")
@click.option("--email", default=None)
@click.option("--category", "categories", multiple=True, help="Repeat for several.")
def create_user(username, role, institution, password, display_name, email, categories):
    """Create a user account."""
    if role not in ROLES:
        raise click.ClickException(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    if password is None and sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = user_cases.create_user(db.session, username, role, password=password,
                                      institution=institution, display_name=display_name,
                                      email=email, categories=categories)
    except InvalidInput as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
        raise click.ClickException(problems or exc.message) from exc
    click.echo(f"created {user.username} ({role}) id={user.id}"
               + ("" if password else " — no password set, cannot log in yet"))


def _run_on(username: str, action):
    """Run an account use case on USERNAME as the operator; engine errors become CLI errors."""
    try:
        return action(user_cases.id_named(db.session, username))
    except (InvalidInput, NotAllowed, NotFound) as exc:
        problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in getattr(exc, "fields", {}).items())
        raise click.ClickException(problems or exc.message) from exc


@users_cli.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable an account: its sessions and API tokens stop working at once."""
    user = _run_on(username, lambda uid: user_cases.disable(db.session, Actor.system(), uid))
    click.echo(f"disabled {user.username}; every session and token of it is revoked")


@users_cli.command("enable")
@click.argument("username")
def enable_user(username):
    """Enable a disabled account (the person logs in again)."""
    user = _run_on(username, lambda uid: user_cases.enable(db.session, Actor.system(), uid))
    click.echo(f"enabled {user.username} (status: {user.status})")


@users_cli.command("reset-password")
@click.argument("username")
@click.option("--password", default=None,
              help="The new password; without it one is generated and printed once.")
def reset_password(username, password):
    """Set a new password and revoke every session and token of the account."""
    new = _run_on(username, lambda uid: user_cases.reset_password(
        db.session, Actor.system(), uid, password))
    click.echo(f"password of {username} reset; every session and token of it is revoked")
    if password is None:
        click.echo(f"one-time password (shown only now): {new}")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create demo institutions and users (idempotent) and print their logins."""
    if current_app.config["APP_ENV"] == "production":
        raise click.ClickException("seed-demo creates accounts with published passwords: "
                                   "refusing to run with APP_ENV=production")
    logins = demo.seed_demo(db.session)
    click.echo("Demo accounts (for demonstration only, never in production):")
    for username, password, role, institution in logins:
        where = f"  [{institution}]" if institution else ""
        click.echo(f"  {username:<16} {password:<24} {role}{where}")


@click.command("init-db")
@with_appcontext
def init_db():
    """Create or upgrade the database schema, and make the audit log append-only."""
    upgrade()
    audit_verify.protect(db.session)
    click.echo("database is at the latest schema; audit_event is append-only")


def init_app(app: Flask) -> None:
    """Register users, institutions, seed-demo, deploy, export and init-db on the app's CLI."""
    for command in (users_cli, institutions_cli, seed_demo, deploy, export, init_db):
        app.cli.add_command(command)
