"""JSON endpoints the modeler calls with fetch(): validate, deploy, save a draft."""
from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import BundleInvalid, InvalidInput
from engine.workflow import deploy_preview, drafts, provenance, versions
from engine.workflow.bundle import read_zip
from web.auth.access import requires
from web.designer.blueprint import bp
from web.extensions import db


def _files() -> dict[str, str]:
    files = (request.get_json(silent=True) or {}).get("files")
    if not isinstance(files, dict) or not files or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()):
        raise InvalidInput(_("请求中没有流程文件"), {"files": [_("必须填写此项")]})
    return files


def _problems(problems) -> list[dict]:
    return [{"file": p.file, "element": p.element, "reason": p.reason} for p in problems]


@bp.route("/api/validate", methods=["POST"])
@requires("design")
def validate():
    """Check the edited files as a deployment would; store nothing. {ok, problems}."""
    problems = versions.validate(_files())
    return jsonify(ok=not problems, problems=_problems(problems))


def _invalid(exc: BundleInvalid):
    return jsonify(error="bundle_invalid", message=exc.message,
                   fields={"problems": [str(p) for p in exc.problems]},
                   problems=_problems(exc.problems)), 422


def _elements(elements) -> list[dict]:
    return [{"id": e.id, "name": e.name, "kind": e.kind, "changes": list(e.changes)}
            for e in elements]


@bp.route("/api/preview", methods=["POST"])
@requires("design")
def preview():
    """What deploying the edited files would change against each running version (the
    confirmation before deploy); problems answer 422 as on deploy. Stores nothing."""
    try:
        found = deploy_preview.preview(db.session, _files())
    except BundleInvalid as exc:
        return _invalid(exc)
    return jsonify(processes=[{
        "key": p.key, "name": p.name, "running": p.running, "status": p.status,
        "url": url_for("designer.version", version_id=p.running_id) if p.running_id else None,
        "diff": [{"process_id": d.process_id, "added": _elements(d.added),
                  "removed": _elements(d.removed), "changed": _elements(d.changed)}
                 for d in p.processes]} for p in found])


@bp.route("/api/deploy", methods=["POST"])
@requires("deploy")
def deploy():
    """Deploy the edited files as new versions (reason required); problems answer 422."""
    files = _files()
    reason = ((request.get_json(silent=True) or {}).get("reason") or "").strip()
    if not reason:
        raise InvalidInput(_("请填写部署原因"), {"reason": [_("必须填写此项")]})
    try:
        infos = versions.deploy(db.session, files, actor_id=current_user.id, reason=reason)
    except BundleInvalid as exc:
        return _invalid(exc)
    return jsonify(versions=[{"id": i.id, "key": i.key, "number": i.number,
                              "created": i.created,
                              "url": url_for("designer.version", version_id=i.id)}
                             for i in infos])


@bp.route("/upload", methods=["POST"])
@requires("deploy")
def upload():
    """Deploy an uploaded zip (a downloaded version edited in Camunda Modeler) with a reason."""
    upload, reason = request.files.get("bundle"), (request.form.get("reason") or "").strip()
    errors = {}
    if upload is None or not upload.filename:
        errors["bundle"] = [_("请选择 zip 文件")]
    if not reason:
        errors["reason"] = [_("必须填写此项")]
    if errors:
        raise InvalidInput(_("上传的内容不完整"), errors)
    # Problems (BundleInvalid) answer 422 with each file, element and reason (web.errors).
    infos = versions.deploy(db.session, read_zip(upload.stream, upload.filename),
                            actor_id=current_user.id, reason=reason, kind=provenance.ZIP,
                            note=upload.filename)
    flash(_("已部署：") + " ".join(f"{i.key} v{i.number}" + ("" if i.created else
                                   f"（{_('未变化')}）") for i in infos))
    return redirect(url_for("designer.index"), 303)


@bp.route("/api/drafts", methods=["POST"])
@requires("design")
def save_draft():
    """Save the edited files as a draft (a new one, or over `draft_id`). {id, saved_at, url}."""
    body = request.get_json(silent=True) or {}
    draft = drafts.save(db.session, str(body.get("key") or ""), _files(), current_user.id,
                        base_version_id=_int_or_none(body.get("base_version_id")),
                        draft_id=_int_or_none(body.get("draft_id")))
    return jsonify(id=draft.id, saved_at=draft.saved_at.isoformat(),
                   url=url_for("designer.edit_draft", draft_id=draft.id))


@bp.route("/drafts/<int:draft_id>/discard", methods=["POST"])
@requires("design")
def discard_draft(draft_id: int):
    """Delete a draft (a form button on the designer index)."""
    drafts.discard(db.session, draft_id, current_user.id)
    return redirect(url_for("designer.index"))


def _int_or_none(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(_("编号无效"), {"id": [_("必须是整数")]}) from None
