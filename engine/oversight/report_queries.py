"""The SQL behind engine.reports: one grouped statement per family of figures.

Everything here works on SQLite and PostgreSQL; the two differ only in the ISO week and in
percentiles (percentile_cont on PostgreSQL; on SQLite each group's durations come back with
the group's counts and are sorted in Python), both over `consultation.seconds_to_answer`.
"""
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy import Integer, String, case, cast, func, literal, null, select
from sqlalchemy.orm import aliased

from engine.models import (
    Answer,
    AuditEvent,
    Consultation,
    Feedback,
    ProcessInstance,
    Referral,
    SlaBreach,
    User,
)

PERCENTILES = (0.5, 0.9)
LOCAL_OFFSET = timedelta(hours=8)  # weeks run Monday to Sunday in Beijing time
DECIDED, ACCEPTED = ("accepted", "agreed", "declined", "failed"), ("accepted", "agreed")
DECISIONS = {"approve": "expert_approved", "revise": "expert_revised",
             "replace": "expert_replaced"}


@dataclass
class ReportRow:
    key: int | str | None
    label: str = ""
    consultations: int = 0
    answered: int = 0
    due: int = 0
    within_deadline: int = 0
    within_deadline_share: float | None = None
    median_hours: float | None = None
    p90_hours: float | None = None
    breaches: int = 0
    reanswered: int = 0
    reanswer_rate: float | None = None
    ratings: int = 0
    satisfied: int = 0
    satisfaction_rate: float | None = None
    expert_approved: int = 0
    expert_revised: int = 0
    expert_replaced: int = 0
    referrals_decided: int = 0
    referrals_accepted: int = 0
    referral_acceptance: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def row_for(rows: dict, key) -> ReportRow:
    if key not in rows:
        rows[key] = ReportRow(key)
    return rows[key]


class ReportQueries:
    """The report's statements for one dialect, grouping and date range."""

    def __init__(self, dialect: str, group_by: str, start: datetime, end: datetime,
                 deadlines: dict[int, timedelta], latest: timedelta | None):
        """`deadlines`: the answer deadline of each process version by id; `latest` applies
        to a consultation whose instance is unknown (e.g. imported)."""
        self.dialect, self.group_by = dialect, group_by
        self.in_range = (Consultation.created_at >= start, Consultation.created_at < end)
        self.deadlines, self.latest = deadlines, latest
        # Whether a consultation's deadline depends on its version: usually every version
        # deployed has the same one, and the report then needs no instance row at all.
        self.by_version = bool(deadlines) and set(deadlines.values()) != {latest}

    def per_version(self, value):
        """A CASE over the consultation's process version: `value(deadline)` for each, NULL
        where no deadline is known (such a consultation is then neither due nor within)."""
        other = null() if self.latest is None else value(self.latest)
        if not self.by_version:
            return other
        return case({v: value(d) for v, d in self.deadlines.items()},
                    value=ProcessInstance.version_id, else_=other)

    def key(self, lawyer, person=None):
        """The group key; `lawyer` is whose work it is, `person` an alias joined on it."""
        if self.group_by == "lawyer":
            return lawyer
        if self.group_by == "institution":
            return person.institution_id
        if self.group_by == "category":
            return Consultation.category
        if self.group_by == "week":
            if self.dialect == "postgresql":  # the Monday as a timestamp: to_char on every
                # row cost more than the grouping (105 ms against 38 at 100,000 rows); the
                # report names it by its date (engine.oversight.reports)
                local = func.timezone("UTC", Consultation.created_at) + LOCAL_OFFSET
                return func.date_trunc("week", local)
            return func.date(Consultation.created_at, "+8 hours", "weekday 0", "-6 days")
        return literal("all")

    def grouped(self, columns, source, lawyer):
        """SELECT key, *columns FROM source [JOIN the lawyer's user] WHERE in range GROUP BY."""
        person = aliased(User)
        key = self.key(lawyer, person)
        query = select(key, *columns).select_from(source)
        if self.group_by == "institution":
            query = query.outerjoin(person, person.id == lawyer)
        return query.where(*self.in_range).group_by(key)

    def base(self, now):
        """Per consultation in range: key, answered, round, overdue flag, timed seconds and
        whether they were within the deadline of the version the consultation runs on."""
        person, answered = aliased(User), Consultation.answered_at
        cutoff = self.per_version(lambda d: literal(now - d, Consultation.notified_at.type))
        limit = self.per_version(lambda d: literal(int(d.total_seconds())))
        seconds = Consultation.seconds_to_answer
        if self.latest is None and not self.deadlines:  # no consultation diagram deployed yet
            overdue = within = literal(0)  # no deadline is known: nothing is due
        else:
            overdue = case((answered.is_(None) & (Consultation.notified_at <= cutoff), 1),
                           else_=0)
            within = case((seconds <= limit, 1), else_=0)
        timed = case((seconds.is_not(None) & limit.is_not(None), 1), else_=0)
        query = select(self.key(Consultation.lawyer_id, person).label("k"),
                       answered.label("a"), Consultation.round.label("r"),
                       overdue.label("late"), seconds.label("s"), within.label("w"),
                       timed.label("t")
                       ).select_from(Consultation)
        if self.by_version:
            query = query.outerjoin(ProcessInstance,
                                    ProcessInstance.id == Consultation.instance_id)
        if self.group_by == "institution":
            query = query.outerjoin(person, person.id == Consultation.lawyer_id)
        return query.where(*self.in_range).subquery("base")

    def consultations(self, session, rows, now) -> None:
        b = self.base(now)
        columns = [func.count(), func.count(b.c.a), func.sum(b.c.t),
                   func.sum(b.c.w), func.sum(b.c.late),
                   func.sum(case((b.c.r > 1, 1), else_=0))]
        if self.dialect == "postgresql":
            columns += [func.percentile_cont(p).within_group(b.c.s) for p in PERCENTILES]
        else:  # no percentile_cont: each group's durations in the same pass, sorted here
            columns.append(func.group_concat(b.c.s))
        for key, total, answered, n_timed, within, n_late, again, *pct in session.execute(
                select(b.c.k, *columns).group_by(b.c.k)):
            r = row_for(rows, key)
            r.consultations, r.answered, r.reanswered = total, answered, again
            r.within_deadline, r.due = within, n_timed + n_late
            if self.dialect != "postgresql":
                seconds = sorted(map(int, pct[0].split(","))) if pct[0] else []
                pct = [percentile(seconds, p) if seconds else None for p in PERCENTILES]
            r.median_hours, r.p90_hours = (_hours(v) for v in pct)

    def breaches(self, session, rows) -> None:
        source = SlaBreach.__table__.join(Consultation,
                                          Consultation.id == SlaBreach.consultation_id)
        for key, n in session.execute(self.grouped([func.count()], source, SlaBreach.user_id)):
            row_for(rows, key).breaches = n

    def ratings(self, session, rows) -> None:
        # A rating counts for the author of the rated answer (a re-answer has another one).
        source = Feedback.__table__.join(Consultation,
                                         Consultation.id == Feedback.consultation_id) \
            .outerjoin(Answer, Answer.id == Feedback.answer_id)
        author = func.coalesce(Answer.author_id, Consultation.lawyer_id)
        columns = [func.count(), func.sum(case((Feedback.satisfied.is_(True), 1), else_=0))]
        for key, n, satisfied in session.execute(self.grouped(columns, source, author)):
            r = row_for(rows, key)
            r.ratings, r.satisfied = n, satisfied

    def expert_outcomes(self, session, rows) -> None:
        decision = AuditEvent.data[("data", "expert_decision")].as_string()
        if self.dialect == "postgresql":
            on = AuditEvent.business_key == cast(Consultation.id, String)
        else:  # lets SQLite look consultations up by id (its CAST never fails)
            on = Consultation.id == cast(AuditEvent.business_key, Integer)
        source = AuditEvent.__table__.join(Consultation, on)
        query = self.grouped([decision, func.count()], source, Consultation.lawyer_id) \
            .where(AuditEvent.task_key == "expert_review", AuditEvent.action == "complete") \
            .group_by(decision)
        for key, outcome, n in session.execute(query):
            if outcome in DECISIONS:
                setattr(row_for(rows, key), DECISIONS[outcome], n)

    def referrals(self, session, rows) -> None:
        source = Referral.__table__.join(Consultation,
                                         Consultation.id == Referral.consultation_id)
        columns = [func.sum(case((Referral.status.in_(DECIDED), 1), else_=0)),
                   func.sum(case((Referral.status.in_(ACCEPTED), 1), else_=0))]
        for key, decided, accepted in session.execute(
                self.grouped(columns, source, Consultation.lawyer_id)):
            r = row_for(rows, key)
            r.referrals_decided, r.referrals_accepted = decided, accepted


def percentile(ordered: list, p: float) -> float:
    """Linear interpolation between closest ranks, as PostgreSQL's percentile_cont."""
    pos = p * (len(ordered) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    low, high = float(ordered[lo]), float(ordered[hi])
    return low + (high - low) * (pos - lo)


def _hours(seconds) -> float | None:
    return None if seconds is None else float(seconds) / 3600


