"""Citizen pages: submit a question, list consultations, read one, rate the answer."""
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from engine.consultation import cases as consultations
from engine.consultation.progress import progress_of
from engine.consultation.status import Status
from engine.errors import InvalidInput
from engine.people import profile
from engine.workflow import tasks
from web.auth.access import can
from web.citizen.blueprint import bp
from web.citizen.stage import stage_message
from web.engine_messages import engine_fields
from web.extensions import db, limiter
from web.params import page_number
from web.presenters import consultation_dict, field_dict, summary_dict, task_detail_dict
from web.tasks.fields import html_fields
from web.tasks.formdata import check_actionable, form_values

PAGE = 50


def _citizen_only() -> None:
    if not can("submit_consultation"):
        abort(403)


def _open_tasks(consultation_id: int | None = None) -> list:
    """The caller's open tasks (on one consultation when given)."""
    found = tasks.tasks_for_user(db.session, current_user.actor)
    return [t for t in found if consultation_id is None or t.business_key == str(consultation_id)]


@bp.route("/")
@login_required
def my_consultations():
    """Consultations the user may see (a citizen: their own) with their status."""
    page = page_number(request.args)
    items = [summary_dict(s) for s in consultations.list_consultations(
        db.session, current_user.actor, limit=PAGE + 1, offset=(page - 1) * PAGE)]
    waiting = {t.business_key for t in _open_tasks()}
    for item in items:
        item["needs_me"] = str(item["id"]) in waiting
    return render_template("citizen/list.html", consultations=items[:PAGE], page=page,
                           more=len(items) > PAGE)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"], methods=["POST"])
def submit():
    """Submit a new legal question (the consultation process's start form)."""
    _citizen_only()
    fields = html_fields([field_dict(f) for f in consultations.start_form(db.session)],
                         current_user.actor)
    if request.method == "GET":
        phone = profile.get_profile(db.session, current_user.id)["phone"]
        return render_template("citizen/submit.html", fields=fields,
                               values={"contact_phone": phone} if phone else {}, errors={})
    data, errors = form_values(fields, request.form)
    try:
        info = consultations.submit(db.session, current_user.actor, data)
    except InvalidInput as exc:
        return render_template("citizen/submit.html", fields=fields, values=request.form,
                               errors={**errors, **engine_fields(exc.fields)}), 422
    if info.status == Status.REJECTED:
        flash(_("您的咨询已提交，但不予受理，原因及求助途径见咨询页面。"), "info")
    elif info.status in (Status.SUBMITTED, Status.SCREENING):
        flash(_("您的咨询已提交，正在审核，受理后将交律师解答。"), "info")
    else:
        flash(ngettext("您的咨询已提交，律师将在 %(num)s 小时内答复。",
                       "您的咨询已提交，律师将在 %(num)s 小时内答复。", info.answer_hours)
              if info.answer_hours else _("您的咨询已提交，律师将在规定时限内答复。"), "info")
    return redirect(url_for("citizen.detail", consultation_id=info.id)), 303


def _detail_page(consultation_id: int, values=None, errors=None, status: int = 200):
    actor = current_user.actor
    item = consultation_dict(consultations.get_consultation(db.session, consultation_id, actor))
    forms, links = [], []
    for info in _open_tasks(consultation_id):
        if actor.role == "citizen":
            task = task_detail_dict(tasks.get_task(db.session, info.id, actor), actor)
            html_fields(task["form"]["fields"], actor)
            forms.append(task)
        else:
            links.append(info)
    progress = progress_of(db.session, consultation_id, actor)
    item["stage"] = stage_message(item["status"], progress.open_steps, bool(item["answers"]),
                                  item["answer_hours"])
    item["ratings"] = progress.ratings
    return render_template("citizen/detail.html", c=item, forms=forms, links=links,
                           values=values or {}, errors=errors or {}), status


@bp.route("/<id:consultation_id>")
@login_required
def detail(consultation_id):
    """One consultation: question, published answers, timeline and the caller's tasks on it."""
    return _detail_page(consultation_id)


@bp.route("/<id:consultation_id>/tasks/<task_id:task_id>", methods=["POST"])
@login_required
def complete_task(consultation_id, task_id):
    """The citizen answers their task on this consultation (rating the answer)."""
    _citizen_only()
    detail = tasks.get_task(db.session, task_id, current_user.actor)
    if detail.task.business_key != str(consultation_id):
        abort(404)
    check_actionable(detail)
    fields = task_detail_dict(detail, current_user.actor)["form"]["fields"]
    data, errors = form_values(fields, request.form)
    if errors:
        return _detail_page(consultation_id, request.form, errors, 422)
    try:
        tasks.complete(db.session, task_id, current_user.actor, data,
                       revision=request.form.get("revision", type=int))
    except InvalidInput as exc:
        return _detail_page(consultation_id, request.form, engine_fields(exc.fields), 422)
    flash(_("感谢您的评价。"), "info")
    return redirect(url_for("citizen.detail", consultation_id=consultation_id)), 303
