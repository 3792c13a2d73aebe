"""`flask --app web deploy PATH...` and `flask --app web export KEY[:VERSION] DIR`."""
import getpass

import click
from flask.cli import with_appcontext

from engine.errors import BundleInvalid, InvalidInput, NotFound
from engine.workflow import provenance, repository, versions

from .extensions import db

WHERE = {provenance.MODELER: "in the web modeler", provenance.ZIP: "from a zip",
         provenance.FILES: "from files"}


def _who(info) -> str:
    by = f" by {info.deployer}" if info.deployer else ""
    reason = f" (reason: {info.reason})" if info.reason else ""
    return f"{WHERE[info.source]}{by} at {info.deployed_at:%Y-%m-%d %H:%M} UTC{reason}"


def _since(info) -> str:
    if info.last_from_files is None:
        return "no version was deployed from files before"
    return f"v{info.last_from_files} was their last deployment from files"


def describe(info, folder: str) -> str:
    """One line per process: what the deploy did, and for a refusal the two ways on."""
    if info.status == provenance.REFUSED:
        return (f"{info.key}: refused. The latest version v{info.number} was deployed "
                f"{_who(info)} and differs from these files, which changed since ({_since(info)})."
                f" Either put v{info.number} into the repository "
                f"(flask --app web export {info.key}:{info.number} {folder}, then commit it and "
                f"redo your change on top), or replace it with the files: "
                f"flask --app web deploy --force --reason TEXT {folder}")
    if info.status == provenance.KEPT:
        return (f"{info.key} v{info.number} (kept: deployed {_who(info)}; the files are "
                f"unchanged since v{info.last_from_files}; to keep it in the repository: "
                f"flask --app web export {info.key}:{info.number} {folder})")
    return f"{info.key} v{info.number} ({'new' if info.created else 'unchanged'})"


@click.command("deploy")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--force", is_flag=True,
              help="Deploy the files even over a version from the web modeler or a zip.")
@click.option("--reason", default="", help="Why (required with --force).")
@with_appcontext
def deploy(paths, force, reason):
    """Store the BPMN/DMN files, folders or zips as new versions of the processes that changed.

    A process whose latest version came from the web modeler or a zip is never replaced
    silently: it is kept while the files are unchanged, and refused (exit 1) when they changed,
    unless --force --reason TEXT.
    """
    kind = provenance.ZIP if any(p.endswith(".zip") for p in paths) else provenance.FILES
    note = f"{getpass.getuser()}: {' '.join(paths)}"
    reason = reason.strip() or ("" if force else "cli deploy")  # forcing needs a real reason
    try:
        infos = versions.deploy(db.session, list(paths), actor_id=None,
                                reason=reason, kind=kind, note=note, force=force)
    except BundleInvalid as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        raise SystemExit(1) from exc
    except InvalidInput as exc:
        raise click.ClickException(f"{exc.message} (--force needs --reason TEXT)") from exc
    for info in infos:
        click.echo(describe(info, paths[0]), err=info.status == provenance.REFUSED)
    if any(i.status == provenance.REFUSED for i in infos):
        raise SystemExit(1)


@click.command("export")
@click.argument("ref", metavar="KEY[:VERSION]")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@with_appcontext
def export(ref, folder):
    """Write a deployed version's files (the latest by default) into DIR, e.g. processes/."""
    try:
        key, number = repository.parse_ref(ref)
        number, written = repository.export(db.session, key, number, folder)
    except (InvalidInput, NotFound) as exc:
        raise click.ClickException(exc.message) from exc
    for path in written:
        click.echo(f"wrote {path}")
    click.echo(f"{key} v{number} exported; commit the files to keep it in the repository")
