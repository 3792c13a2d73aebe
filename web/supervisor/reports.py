"""SLA and quality reports (supervisors and duty officers): charts, a table, CSV download."""
from flask import Response, render_template, request
from flask_babel import gettext as _

from engine.consultation import cases as consultations
from engine.consultation.facts import latest_answer_hours
from engine.oversight import reports
from web.auth.access import requires
from web.extensions import db
from web.params import date_range
from web.supervisor.blueprint import bp

DEFAULT_DAYS = 30


def _query():
    """The report for the form's dates and grouping, or the errors to show."""
    args, errors = request.args, {}
    first, last, start, end = date_range(args, errors, default_days=DEFAULT_DAYS)
    group_by = args.get("group_by") or "lawyer"
    if group_by not in reports.GROUPINGS:
        errors.setdefault("group_by", []).append(_("未知的分组方式"))
        group_by = "lawyer"
    rows = [] if errors else reports.sla_report(db.session, start, end, group_by)
    if group_by == "category":
        labels = consultations.option_labels(db.session, "category")
        for r in rows:
            r.label = labels.get(r.key, r.label)
    return rows, errors, {"start": first, "end": last, "group_by": group_by}


def _chart_data(rows) -> dict:
    """Series for static/reports.js; the page's table carries the same numbers."""
    def pct(v):
        return None if v is None else round(v * 100, 1)

    def hours(v):
        return None if v is None else round(v, 2)
    total = {k: sum(getattr(r, k) for r in rows) for k in (
        "expert_approved", "expert_revised", "expert_replaced")}
    return {"labels": [r.label for r in rows],
            "within": [pct(r.within_deadline_share) for r in rows],
            "median": [hours(r.median_hours) for r in rows],
            "p90": [hours(r.p90_hours) for r in rows],
            "breaches": [r.breaches for r in rows],
            "reanswer": [pct(r.reanswer_rate) for r in rows],
            "satisfaction": [pct(r.satisfaction_rate) for r in rows],
            "referral": [pct(r.referral_acceptance) for r in rows],
            "expert": [total["expert_approved"], total["expert_revised"],
                       total["expert_replaced"]]}


@bp.route("/reports")
@requires("read_reports")
def report():
    """Date-range form, charts and the figures per lawyer/institution/category/week."""
    rows, errors, form = _query()
    return render_template("supervisor/reports.html", rows=rows, errors=errors, form=form,
                           groupings=reports.GROUPINGS, chart=_chart_data(rows),
                           answer_hours=latest_answer_hours(db.session)), \
        422 if errors else 200


@bp.route("/reports.csv")
@requires("read_reports")
def report_csv():
    """The same figures as CSV, with a UTF-8 byte order mark so Excel reads the Chinese."""
    rows, errors, form = _query()
    if errors:
        return report()
    name = f"sla-{form['group_by']}-{form['start']}-{form['end']}.csv"
    return Response("\ufeff" + reports.to_csv(rows), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
