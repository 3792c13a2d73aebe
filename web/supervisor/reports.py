"""SLA and quality reports (supervisors and duty officers): charts, a table, CSV download."""
from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine.consultation import cases as consultations
from engine.consultation.facts import latest_answer_hours
from engine.oversight import reports
from web.auth.access import requires
from web.extensions import db
from web.params import date_range
from web.supervisor.blueprint import bp

DEFAULT_DAYS = 30
# The CSV's columns and their titles, in the page's language (the key only names people).
COLUMNS = {
    "key": _l("编号"), "label": _l("分组"), "consultations": _l("咨询数"),
    "answered": _l("已答复"), "due": _l("已到答复期限"), "within_deadline": _l("时限内答复"),
    "within_deadline_share": _l("时限内答复比例"), "median_hours": _l("中位数（小时）"),
    "p90_hours": _l("90 分位（小时）"), "breaches": _l("超时"), "reanswered": _l("重新答复"),
    "reanswer_rate": _l("重新答复率"), "ratings": _l("评价数"), "satisfied": _l("满意"),
    "satisfaction_rate": _l("满意率"), "expert_approved": _l("专家认可"),
    "expert_revised": _l("专家要求修改"), "expert_replaced": _l("专家改答"),
    "referrals_decided": _l("已决定的线下委托"), "referrals_accepted": _l("已接受的线下委托"),
    "referral_acceptance": _l("线下委托接受率"),
}


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
    for r in rows:  # the engine's own labels, in the page's language
        if r.key is None:
            r.label = _("未分配")
        elif group_by == "all":
            r.label = _("全部")
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
    titles = {k: str(v) for k, v in COLUMNS.items()
              if k != "key" or form["group_by"] in ("lawyer", "institution")}
    return Response("\ufeff" + reports.to_csv(rows, titles), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
