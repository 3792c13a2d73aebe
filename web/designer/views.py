"""Designer pages: process versions, a version's diagrams, the modeler, downloads, instances."""
import io
import zipfile

from flask import abort, current_app, redirect, render_template, request, send_file, url_for

from engine.workflow import drafts, repository, versions
from engine.workflow.bundle import process_files
from engine.workflow.instance_view import instance_trace
from web.auth.access import can, requires
from web.designer.blueprint import bp
from web.extensions import db
from web.i18n import select_locale

from .texts import modeler_texts


@bp.route("/")
@requires("read_versions")
def index():
    """Every process key with its versions (newest first) and the saved drafts."""
    by_key: dict[str, list] = {key: [] for key in versions.process_keys(db.session)}
    for info in versions.list_versions(db.session):
        by_key.setdefault(info.key, []).append(info)
    return render_template("designer/index.html", by_key=by_key,
                           drafts=drafts.list_drafts(db.session), folder=_folder(),
                           matches=repository.folder_matches(db.session, _folder()))


def _folder() -> str:
    """The repository's processes folder (PROCESSES_DIR), relative to the working directory."""
    return current_app.config.get("PROCESSES_DIR") or "processes"


@bp.route("/versions/<int:version_id>")
@requires("read_versions")
def version(version_id: int):
    """One version's BPMN diagrams and DMN tables in the viewers."""
    row = versions.version_of(db.session, version_id)
    siblings = versions.list_versions(db.session, row.key)
    info = next(s for s in siblings if s.id == row.id)
    match = repository.folder_matches(db.session, _folder()).get(row.key)
    return render_template("designer/version.html", version=row, info=info, siblings=siblings,
                           files=dict(row.files), folder=_folder(), match=match)


@bp.route("/versions/<int:version_id>/download")
@requires("read_versions")
def download(version_id: int):
    """The version's files as a zip, to edit in Camunda Modeler and deploy with the CLI."""
    row = versions.version_of(db.session, version_id)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(row.files.items()):
            archive.writestr(name, text)
    buffer.seek(0)
    return send_file(buffer, mimetype="application/zip", as_attachment=True,
                     download_name=f"{row.key}-v{row.number}.zip")


@bp.route("/versions/<int:version_id>/edit")
@requires("design")
def edit_version(version_id: int):
    """The modeler, opened on a deployed version's files."""
    row = versions.version_of(db.session, version_id)
    return _modeler(row.key, dict(row.files), base_version_id=row.id, base_number=row.number)


@bp.route("/drafts/<int:draft_id>/edit")
@requires("design")
def edit_draft(draft_id: int):
    """The modeler, opened on a saved draft."""
    draft = drafts.get(db.session, draft_id)
    return _modeler(draft.key, draft.files, base_version_id=draft.base_version_id,
                    base_number=draft.base_version, draft=draft)


def _modeler(key: str, files: dict, base_version_id, base_number, draft=None):
    config = {
        "key": key, "files": files, "base_version_id": base_version_id,
        "main_file": process_files(files).get(key),
        "camunda_moddle_url": url_for("static", filename="vendor/camunda-bpmn-moddle/camunda.json"),
        "draft_id": draft.id if draft else None,
        "urls": {"validate": url_for("designer.validate"), "deploy": url_for("designer.deploy"),
                 "preview": url_for("designer.preview"),
                 "save_draft": url_for("designer.save_draft"),
                 "index": url_for("designer.index")},
        "texts": modeler_texts(), "lang": select_locale(),
    }
    return render_template("designer/modeler.html", key=key, base_number=base_number,
                           draft=draft, config=config)


@bp.route("/instances")
@requires("read_instances")
def find_instance():
    """Jump to an instance by its number (the form on the designer and admin pages)."""
    instance_id = request.args.get("id", type=int)
    if instance_id is None:
        abort(404)
    return redirect(url_for("designer.instance", instance_id=instance_id))


@bp.route("/instances/<int:instance_id>")
@requires("read_instances")
def instance(instance_id: int):
    """An instance on its diagrams: where it waits now and the path it took."""
    trace = instance_trace(db.session, instance_id)
    can_roll_back = can("migrate") and any(
        m["rolled_back_at"] is None for m in trace["migrations"])
    return render_template("designer/instance.html", trace=trace, can_roll_back=can_roll_back)
