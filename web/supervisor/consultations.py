"""Every consultation for supervisors: a filtered list and the full timeline of one."""
import json

from flask import render_template, request
from flask_login import current_user

from engine.consultation import cases as consultations
from engine.consultation.status import Status
from engine.oversight import reading as oversight
from web.auth.access import requires
from web.extensions import db
from web.params import date_range, integer
from web.supervisor.blueprint import bp


@bp.app_template_filter("pretty_json")
def pretty_json(data) -> str:
    """Audit data as readable JSON (Chinese kept as is; the template escapes it)."""
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True, default=str)


@bp.route("/consultations")
@requires("read_supervision")
def consultation_list():
    """Consultations newest first, filtered by status, category, lawyer, institution, dates."""
    args, errors = request.args, {}
    first, last, start, end = date_range(args, errors)
    filters = dict(status=args.get("status") or None, category=args.get("category") or None,
                   lawyer_id=integer(args, "lawyer_id", errors),
                   institution_id=integer(args, "institution_id", errors),
                   text=(args.get("q") or "").strip() or None)
    before = integer(args, "before", errors)
    page = oversight.search_consultations(db.session, current_user.actor, start=start, end=end,
                                          before_id=before, **filters)
    return render_template(
        "supervisor/consultations.html", page=page, errors=errors, args=args,
        more_args={k: v for k, v in args.items() if k != "before" and v},
        statuses=list(Status), categories=consultations.option_labels(db.session, "category"),
        lawyers=oversight.lawyers(db.session, current_user.actor),
        institutions=oversight.institutions(db.session)), 422 if errors else 200


@bp.route("/consultations/<int:consultation_id>")
@requires("read_supervision")
def consultation_detail(consultation_id: int):
    """One consultation with contact details, answers and every audited step with its data."""
    detail = consultations.get_consultation(db.session, consultation_id, current_user.actor)
    return render_template(
        "supervisor/consultation.html", c=detail,
        categories=consultations.option_labels(db.session, "category"),
        case_statuses=consultations.option_labels(db.session, "case_status"))
