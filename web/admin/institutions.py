"""The institutions page: administrators end or resume a resident institution's residency."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.errors import InvalidInput
from engine.people import institutions
from web.admin.blueprint import bp
from web.auth.access import requires
from web.engine_messages import engine_error
from web.extensions import db


def _page(status: int = 200, errors: dict | None = None, typed: dict | None = None):
    rows = institutions.residencies(db.session, current_user.actor)
    return render_template("admin/institutions.html", rows=rows, errors=errors or {},
                           typed=typed or {}), status


@bp.route("/institutions")
@requires("manage_institutions")
def institution_list():
    """Every institution: resident or not, its members and the open work they hold."""
    return _page()


@bp.route("/institutions/<int:institution_id>/deactivate", methods=["POST"])
@requires("manage_institutions")
def deactivate_institution(institution_id: int):
    """End the residency (a reason is required); its members' open work goes to the duty
    officers for reassignment at once."""
    reason = request.form.get("reason", "")
    try:
        done = institutions.end_residency(db.session, current_user.actor, institution_id, reason)
    except InvalidInput as exc:
        message, fields = engine_error(exc)
        return _page(422, errors={institution_id: fields.get("reason") or [message]},
                     typed={institution_id: reason})
    flash(_("%(name)s 已结束驻场，其成员的待办事项已交值班人员改派。", name=done.name), "info")
    return redirect(url_for("admin.institution_list"), 303)


@bp.route("/institutions/<int:institution_id>/activate", methods=["POST"])
@requires("manage_institutions")
def activate_institution(institution_id: int):
    """Resume the residency; work reassigned meanwhile stays where it went."""
    done = institutions.resume_residency(db.session, current_user.actor, institution_id)
    flash(_("%(name)s 已恢复驻场。", name=done.name), "info")
    return redirect(url_for("admin.institution_list"), 303)
