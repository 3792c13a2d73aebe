"""Citizen pages: submit a question, list my consultations, read one with its answers."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from engine.errors import InvalidInput
from web import gateway, readmodels
from web.extensions import db, limiter
from web.presenters import task_dict
from web.tasks.formdata import form_values

from . import bp
from .start_form import start_fields


def _citizen_only() -> None:
    if current_user.role != "citizen":
        abort(403)


@bp.route("/")
@login_required
def my_consultations():
    """Consultations the user may see (a citizen: their own) with their status."""
    items = readmodels.list_for(db.session, current_user.actor)
    return render_template("citizen/list.html", consultations=items)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def submit():
    """Submit a new legal question (the consultation process's start form)."""
    _citizen_only()
    fields = start_fields()
    if request.method == "GET":
        return render_template("citizen/submit.html", fields=fields, values={}, errors={})
    data = form_values(fields, request.form)
    try:
        info = gateway.consultations.submit(db.session, current_user.actor, data)
    except InvalidInput as exc:
        return render_template("citizen/submit.html", fields=fields, values=request.form,
                               errors=exc.fields), 422
    flash(_("您的咨询已提交，律师将在 5 小时内答复。"), "info")
    return redirect(url_for("citizen.detail", consultation_id=info.id))


@bp.route("/<int:consultation_id>")
@login_required
def detail(consultation_id):
    """One consultation: question, published answers, timeline and the caller's tasks on it."""
    item = readmodels.detail(db.session, consultation_id, current_user.actor)
    mine = []
    if gateway.available(gateway.tasks):
        mine = [task_dict(t) for t in gateway.tasks.tasks_for_user(db.session, current_user.actor)]
        mine = [t for t in mine if t["consultation_id"] == consultation_id]
    return render_template("citizen/detail.html", c=item, tasks=mine)
