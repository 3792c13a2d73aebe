"""The migration page: pick two versions, see the diff and where the old one's instances wait."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import EngineError
from engine.workflow import migration, versions
from engine.workflow.bundle import process_files
from engine.workflow.migration_history import migration_history
from web.admin.blueprint import bp
from web.auth.access import requires
from web.designer.texts import migration_texts
from web.engine_messages import engine_text
from web.extensions import db


def _pick(infos: list, number: int | None, default):
    return next((v for v in infos if v.number == number), default)


@bp.route("/migrations")
@requires("migrate")
def migrations():
    """Choose a process and two of its versions; show their diff and the old one's instances."""
    keys = versions.process_keys(db.session)
    key = request.args.get("key") or (keys[0] if keys else None)
    infos = versions.list_versions(db.session, key) if key else []
    new = _pick(infos, request.args.get("to", type=int), infos[0] if infos else None)
    old = _pick(infos, request.args.get("from", type=int), infos[1] if len(infos) > 1 else None)
    context = {"keys": keys, "key": key, "infos": infos, "old": old, "new": new, "config": None,
               "history": migration_history(db.session, key) if key else []}
    if old is not None and new is not None and old.id != new.id:
        context.update(_comparison(old, new))
    return render_template("admin/migrations.html", **context)


def _comparison(old, new) -> dict:
    diff = migration.version_diff(db.session, old.id, new.id)
    groups = migration.instances_by_wait_state(db.session, old.id)
    old_files = dict(versions.version_of(db.session, old.id).files)
    new_files = dict(versions.version_of(db.session, new.id).files)
    config = {
        "from_id": old.id, "to_id": new.id, "old_files": old_files, "new_files": new_files,
        "diagrams": _by_file(diff.processes, process_files(old_files), process_files(new_files)),
        "urls": {"dry_run": url_for("admin.dry_run"), "migrate": url_for("admin.migrate"),
                 "rollback": url_for("admin.rollback", instance_id=0),
                 "instance": url_for("designer.instance", instance_id=0)},
        "texts": migration_texts(),
    }
    return {"processes": diff.processes, "groups": groups, "config": config}


def _by_file(processes, old_where: dict, new_where: dict) -> list[dict]:
    """The diff regrouped per diagram file (a subprocess is drawn in its parent's file)."""
    diagrams: dict[tuple, dict] = {}
    for p in processes:
        if not (p.added or p.removed or p.changed):
            continue
        where = (old_where.get(p.process_id), new_where.get(p.process_id))
        entry = diagrams.setdefault(where, {"old_file": where[0], "new_file": where[1],
                                            "added": [], "removed": [], "changed": []})
        for kind in ("added", "removed", "changed"):
            entry[kind] += [e.id for e in getattr(p, kind)]
    return list(diagrams.values())


@bp.route("/instances/<int:instance_id>/rollback", methods=["POST"])
@requires("migrate")
def rollback_form(instance_id: int):
    """Roll a migrated instance back from its page (reason required); back to that page."""
    try:
        migration.rollback(db.session, instance_id, current_user.actor,
                           request.form.get("reason", ""), force=bool(request.form.get("force")))
    except EngineError as exc:
        flash(engine_text(exc.message), "error")
    else:
        flash(_("实例已回滚到迁移前的版本。"), "info")
    if request.form.get("back_to_key"):  # from the migration page's history: back there
        return redirect(url_for("admin.migrations", key=request.form["back_to_key"]))
    return redirect(url_for("designer.instance", instance_id=instance_id))
