"""SLA and quality reports: SQL over the domain tables (never the workflows).

Cohort: the consultations created in [start, end); every figure is about them, grouped by
lawyer, institution, category, week (Monday, Beijing time) or "all".

- answered: consultations with an answer (answered_at is the first published answer).
- time to answer: seconds_to_answer, stored when the first answer is published (from the
  notification of that round to the answer); median and p90 interpolate linearly between
  ranks, like percentile_cont.
- within deadline: timed answers no longer than the answer deadline, over "due" consultations:
  the timed ones plus unanswered ones notified longer than the deadline before `now`. The
  deadline is the one the consultation's own process version sets (its answer stage's timer,
  engine.consultation.facts): a lawyer is held to the deadline they were notified under, so
  deploying a new deadline neither rewrites past figures nor excuses past delays. A
  consultation without an instance is measured against the latest version's deadline.
- breaches: SLA breach records of all stages; per lawyer/institution they count against the
  user who held the work (sla_breach.user_id), otherwise against the consultation.
- re-answer rate: consultations in a second or later round, over answered ones.
- satisfaction: satisfied ratings over ratings; per lawyer, a rating counts for the author of
  the rated answer.
- expert outcomes: completed `expert_review` tasks by expert_decision (approve, revise,
  replace), from the audit log.
- referral acceptance: referrals accepted or agreed, over referrals decided (accepted,
  agreed, declined, failed).
"""
import csv
import io
from dataclasses import fields
from datetime import date, datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from engine.consultation.facts import all_deadlines
from engine.errors import InvalidInput
from engine.models import Institution, User, utcnow
from engine.oversight.report_queries import ReportQueries, ReportRow
from engine.uow import read_only

GROUPINGS = ("lawyer", "institution", "category", "week", "all")
# A report scans every consultation of its range a few times over; PostgreSQL's default costs
# keep such scans on one core until tables are far larger. For the report's own transaction
# only (set_config(..., true) is SET LOCAL), parallel plans are made cheaper: at 100,000
# consultations the slowest report takes about a quarter less time (docs/performance.md).
PARALLEL_SCANS = text("SELECT set_config('parallel_setup_cost', '100', true), "
                      "set_config('parallel_tuple_cost', '0.01', true)")
__all__ = ["GROUPINGS", "ReportRow", "sla_report", "to_csv"]


def sla_report(session: Session, start: datetime, end: datetime, group_by: str = "lawyer",
               now: datetime | None = None) -> list[ReportRow]:
    """Every figure for the consultations created in [start, end), one row per group."""
    if group_by not in GROUPINGS:
        raise InvalidInput("未知的分组方式", fields={"group_by": [f"可选：{', '.join(GROUPINGS)}"]})
    rows: dict = {}
    dialect = session.get_bind().dialect.name
    with read_only(session, one_transaction=dialect == "postgresql"):
        if dialect == "postgresql":
            session.execute(PARALLEL_SCANS)
        q = ReportQueries(dialect, group_by, start, end, *all_deadlines(session))
        q.consultations(session, rows, now or utcnow())
        q.breaches(session, rows)
        q.ratings(session, rows)
        q.expert_outcomes(session, rows)
        q.referrals(session, rows)
        if group_by == "week":
            rows = _by_monday(rows)
        _label(session, group_by, rows)
    for r in rows.values():
        r.within_deadline_share = _ratio(r.within_deadline, r.due)
        r.reanswer_rate = _ratio(r.reanswered, r.answered)
        r.satisfaction_rate = _ratio(r.satisfied, r.ratings)
        r.referral_acceptance = _ratio(r.referrals_accepted, r.referrals_decided)
    return sorted(rows.values(), key=lambda r: (r.key is None, str(r.key)))


def _by_monday(rows: dict) -> dict:
    """Week keys as the Monday's date, "YYYY-MM-DD" (PostgreSQL groups by a timestamp)."""
    named = {}
    for key, r in rows.items():
        r.key = key.date().isoformat() if isinstance(key, datetime) else key
        named[r.key] = r
    return named


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _label(session: Session, group_by: str, rows: dict) -> None:
    ids = [k for k in rows if k is not None]
    names: dict = {}
    if group_by == "lawyer" and ids:
        names = dict(session.execute(select(User.id, func.coalesce(
            func.nullif(User.display_name, ""), User.username)).where(User.id.in_(ids))).all())
    elif group_by == "institution" and ids:
        names = dict(session.execute(select(Institution.id, Institution.name)
                                     .where(Institution.id.in_(ids))).all())
    for key, r in rows.items():
        if key is None:
            r.label = "未分配"
        elif group_by == "all":
            r.label = "全部"
        elif group_by == "week":
            year, week, _ = date.fromisoformat(str(key)).isocalendar()
            r.label = f"{year}-W{week:02d}"
        else:
            r.label = str(names.get(key, key))


def to_csv(rows: list[ReportRow], titles: dict[str, str] | None = None) -> str:
    """The rows as CSV text with a header line (hours and shares rounded to 4 places).

    `titles` (field name -> column title, in the reader's language) picks and names the
    columns; without it every field is written under its own name."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    names = list(titles) if titles else [f.name for f in fields(ReportRow)]
    writer.writerow([titles[n] for n in names] if titles else names)
    for r in rows:
        values = [getattr(r, n) for n in names]
        writer.writerow(["" if v is None else round(v, 4) if isinstance(v, float) else v
                         for v in values])
    return out.getvalue()
