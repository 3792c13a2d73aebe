"""JSON endpoints of the migration page: dry run, migrate one batch, roll back one instance."""
from dataclasses import asdict

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import InvalidInput
from engine.workflow import migration
from web.admin.blueprint import bp
from web.auth.access import requires
from web.extensions import db

MAX_BATCH = 50


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidInput(_("请求格式错误。"))
    return body


def _version_ids(body: dict) -> tuple[int, int]:
    try:
        return int(body["from_id"]), int(body["to_id"])
    except (KeyError, TypeError, ValueError):
        raise InvalidInput(_("请选择两个版本"), {"from_id": [_("必须填写此项")],
                                           "to_id": [_("必须填写此项")]}) from None


def _instance_ids(body: dict, required: bool) -> list[int] | None:
    ids = body.get("instance_ids")
    if ids is None and not required:
        return None
    if (not isinstance(ids, list) or not ids or len(ids) > MAX_BATCH
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids)):
        raise InvalidInput(_("请选择实例"), {"instance_ids": [
            _("每批 1 至 %(n)s 个实例编号", n=MAX_BATCH)]})
    return ids


def _reports(reports) -> list[dict]:
    return [asdict(r) for r in reports]


@bp.route("/api/dry-run", methods=["POST"])
@requires("migrate")
def dry_run():
    """Per instance (the given ids, or every running one): could it move, and what changes."""
    body = _body()
    old, new = _version_ids(body)
    reports = migration.dry_run(db.session, old, new, _instance_ids(body, required=False))
    return jsonify(reports=_reports(reports))


@bp.route("/api/migrate", methods=["POST"])
@requires("migrate")
def migrate():
    """Move one batch of instances (reason required); each in its own transaction."""
    body = _body()
    old, new = _version_ids(body)
    report = migration.migrate(db.session, old, new, _instance_ids(body, required=True),
                               current_user.actor, str(body.get("reason") or ""))
    return jsonify(reports=_reports(report.instances))


@bp.route("/api/instances/<int:instance_id>/rollback", methods=["POST"])
@requires("migrate")
def rollback(instance_id: int):
    """Put a migrated instance back on its previous version (reason required)."""
    body = _body()
    report = migration.rollback(db.session, instance_id, current_user.actor,
                                str(body.get("reason") or ""), force=bool(body.get("force")))
    return jsonify(report=asdict(report))
