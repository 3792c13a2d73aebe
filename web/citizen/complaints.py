"""The citizen's complaint about conduct: its own form and reason, apart from the rating."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.consultation import cases as consultations
from engine.consultation import complaints
from engine.errors import InvalidInput
from web.citizen.blueprint import bp
from web.engine_messages import engine_fields
from web.extensions import db
from web.i18n import COMPLAINT_REASONS


@bp.route("/<id:consultation_id>/complaint", methods=["GET", "POST"])
@login_required
def complain(consultation_id):
    """The citizen complains about how the consultation was handled (not about the answer)."""
    if current_user.role != "citizen":
        abort(403)
    consultations.get_consultation(db.session, consultation_id, current_user.actor)  # 404
    errors, status = {}, 200
    if request.method == "POST":
        try:
            complaints.file_complaint(db.session, current_user.actor, consultation_id,
                                      request.form.get("reason", ""),
                                      request.form.get("text", ""))
        except InvalidInput as exc:
            errors, status = engine_fields(exc.fields), 422
        else:
            flash(_("投诉已提交，网络监督人员将进行审查。"), "info")
            return redirect(url_for("citizen.detail", consultation_id=consultation_id)), 303
    return render_template("citizen/complaint.html", consultation_id=consultation_id,
                           reasons=COMPLAINT_REASONS, values=request.form, errors=errors), status
