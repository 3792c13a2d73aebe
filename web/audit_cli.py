"""`flask --app web audit verify|anchor|grants|reseal|protect`: the keyed audit chain, its anchors
outside the database, and the database role that may only append to it."""
import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from engine.audit import anchor as audit_anchor
from engine.audit import grants as audit_grants
from engine.audit import reseal as audit_reseal
from engine.audit import verify as audit_verify
from engine.db import make_sessionmaker
from engine.errors import InvalidInput

audit = AppGroup("audit", help="The append-only audit log.")


def _sessions():
    config = current_app.config
    return make_sessionmaker(config["SQLALCHEMY_DATABASE_URI"], audit_key=config.get("AUDIT_KEY"))


def _run(use):
    """Run `use(session)` on a throwaway engine with the app's database and audit key."""
    sessions = _sessions()
    try:
        with sessions() as session:
            return use(session)
    finally:
        sessions.kw["bind"].dispose()


def _anchor_file(path: str | None) -> str:
    path = path or current_app.config.get("AUDIT_ANCHOR_FILE")
    if not path:
        raise click.UsageError("no anchor file: pass --file or set AUDIT_ANCHOR_FILE")
    return path


@audit.command("verify")
@click.option("--anchor", "anchor_file", type=click.Path(exists=True, dir_okay=False),
              help="Also check the chain against this anchor file (rows deleted at the end).")
@with_appcontext
def verify(anchor_file: str | None) -> None:
    """Recompute the keyed chain; name the first bad row (exit status 1 if any)."""
    try:
        anchors = audit_anchor.read_anchors(anchor_file) if anchor_file else []
    except audit_anchor.AnchorFileInvalid as exc:
        raise click.ClickException(str(exc)) from None
    result = _run(lambda s: audit_verify.verify(s, anchors=anchors))
    click.echo(result.message(), err=not result.ok)
    if not result.ok:
        raise SystemExit(1)


@audit.command("anchor")
@click.option("--file", "path", type=click.Path(dir_okay=False),
              help="The anchor file to append to (default: AUDIT_ANCHOR_FILE).")
@with_appcontext
def anchor(path: str | None) -> None:
    """Append the chain's head ({id, hmac, time}) to the anchor file now."""
    path = _anchor_file(path)
    written = _run(lambda s: audit_anchor.write_anchor(s, path))
    if written is None:
        click.echo("audit log is empty: nothing to anchor")
    else:
        click.echo(f"anchored row {written.id} at {written.time} in {path}")


@audit.command("grants")
@click.option("--role", required=True, help="The PostgreSQL role the application runs as.")
@click.option("--apply", "apply_", is_flag=True,
              help="Run them (as the schema's owner) instead of printing them.")
@with_appcontext
def grants(role: str, apply_: bool) -> None:
    """Print (or apply) the grants that leave ROLE only INSERT and SELECT on audit rows."""
    if not apply_:
        schema = _run(audit_grants.current_schema) if _is_postgres() else "public"
        for sql in audit_grants.statements(role, schema):
            click.echo(sql + ";")
        return
    try:
        done = _run(lambda s: audit_grants.apply(s, role))
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from None
    for sql in done:
        click.echo(sql + ";")
    click.echo(f"applied: {role} may only INSERT and SELECT on audit_event (guard installed)")


def _is_postgres() -> bool:
    return current_app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")


@audit.command("reseal")
@with_appcontext
def reseal() -> None:
    """Key a log written before the chain was keyed (once, as the table's owner)."""
    try:
        count = _run(audit_reseal.reseal)
    except InvalidInput as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"resealed {count} audit rows under AUDIT_KEY")


@audit.command("protect")
@click.option("--remove", is_flag=True, help="Drop the triggers instead (maintenance).")
@with_appcontext
def protect(remove: bool) -> None:
    """Install database triggers that refuse UPDATE and DELETE on audit rows."""
    _run(audit_verify.unprotect if remove else audit_verify.protect)
    click.echo("audit guard removed" if remove else "audit guard installed")


def init_app(app) -> None:
    """Register the `audit` command group on the app's CLI."""
    app.cli.add_command(audit)
