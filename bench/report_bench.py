"""SLA reports and the audit-chain check at production size.

Generates N consultations (default 100,000) with their answers, ratings, SLA breaches,
referrals and expert-review audit rows by bulk insert, then times every report grouping
(best and median of several runs) and `audit verify` over N chained audit rows.

    python bench/report_bench.py                      # a temporary SQLite file
    python bench/report_bench.py --db postgresql+psycopg://postgres@127.0.0.1:5432/bench --reset

--db must point at a scratch database: --reset drops and recreates every table in it.
"""
import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engine import audit
from engine import models as m  # noqa: E402
from engine.audit import verify as audit_verify
from engine.db import make_sessionmaker  # noqa: E402
from engine.oversight import reports  # noqa: E402
from engine.workflow import versions  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2025, 1, 6, tzinfo=UTC)
CATEGORIES = ["labor", "family", "contract", "property", "traffic", "neighbour", "consumer",
              "criminal"]
H = timedelta(hours=1)


def people(session, lawyers: int = 200, institutions: int = 20) -> list[int]:
    session.execute(insert(m.Institution), [{"id": i, "name": f"机构{i}"}
                                          for i in range(1, institutions + 1)])
    session.execute(insert(m.User), [
        {"id": i, "username": f"lawyer{i}", "role": "lawyer", "display_name": f"律师{i}",
         "institution_id": i % institutions + 1, "categories": []}
        for i in range(1, lawyers + 1)])
    return list(range(1, lawyers + 1))


def consultations(n: int, lawyers: list[int], rnd: random.Random) -> dict[str, list]:
    """Rows for every table, as dicts for bulk insert."""
    out = {"c": [], "a": [], "f": [], "b": [], "r": [], "e": []}
    for cid in range(1, n + 1):
        created = START + timedelta(minutes=cid * 5)  # a year at one question every 5 min
        lawyer, notified = rnd.choice(lawyers), created + timedelta(minutes=1)
        hours = rnd.lognormvariate(0.6, 0.8) if rnd.random() < 0.96 else None
        answered = notified + hours * H if hours else None
        out["c"].append(dict(id=cid, title="t", question="q", category=rnd.choice(CATEGORIES),
                             lawyer_id=lawyer, created_at=created, notified_at=notified,
                             answered_at=answered, round=2 if rnd.random() < 0.05 else 1,
                             seconds_to_answer=int(hours * 3600) if hours else None,
                             status="answered" if answered else "assigned"))
        if answered:
            out["a"].append(dict(id=cid, consultation_id=cid, kind="answer", text="解答",
                                 author_id=lawyer, published_at=answered))
            if rnd.random() < 0.6:
                out["f"].append(dict(consultation_id=cid, answer_id=cid, created_at=answered,
                                     satisfied=rnd.random() < 0.85, comment=""))
        if not hours or hours > 5:
            out["b"].append(dict(consultation_id=cid, stage="answer", user_id=lawyer,
                                 recorded_at=notified + 5 * H))
        if rnd.random() < 0.03:
            out["r"].append(dict(consultation_id=cid, created_at=created, updated_at=created,
                                 status=rnd.choice(["accepted", "agreed", "declined",
                                                    "requested"])))
        if rnd.random() < 0.05:
            decision = rnd.choice(["approve", "approve", "revise", "replace"])
            out["e"].append(dict(action="complete", task_key="expert_review",
                                 business_key=str(cid), at=created,
                                 data={"data": {"expert_decision": decision}}))
    return out


def load(session, n: int) -> None:
    rnd = random.Random(7)
    lawyers = people(session)
    rows = consultations(n, lawyers, rnd)
    for model, key in [(m.Consultation, "c"), (m.Answer, "a"), (m.Feedback, "f"),
                       (m.SlaBreach, "b"), (m.Referral, "r"), (m.AuditEvent, "e")]:
        for i in range(0, len(rows[key]), 10_000):
            session.execute(insert(model), rows[key][i:i + 10_000])
    session.commit()


def chain(session, n: int) -> None:
    """n properly chained audit rows (replacing the expert rows' unchained ones)."""
    prev, batch = session.scalar(select(m.AuditEvent.hash).order_by(m.AuditEvent.id.desc())
                                 .limit(1)) or "", []
    for i in range(n):
        item = dict(action="complete", actor_id=None, instance_id=i, task_id=None,
                    task_key="answer_consultation", business_key=str(i),
                    data={"data": {"answer_text": "解答" * 20}}, at=START + i * H / 60)
        item["prev_hash"], item["hash"] = prev, audit.content_hash(item, prev)
        prev = item["hash"]
        batch.append(item)
        if len(batch) == 10_000:
            session.execute(insert(m.AuditEvent), batch)
            batch = []
    if batch:
        session.execute(insert(m.AuditEvent), batch)
    session.commit()


def timed(fn, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        fn()
        times.append((time.perf_counter() - began) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100_000, help="consultations")
    parser.add_argument("--db", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--reset", action="store_true", help="drop and recreate all tables")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp()}/report_bench.db"
    sessions = make_sessionmaker(url)
    engine = sessions.kw["bind"]
    if args.reset:
        m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    with sessions() as session:
        if session.scalar(select(func.count()).select_from(m.Consultation)):
            sys.exit("the database is not empty: use a scratch database with --reset")
        began = time.perf_counter()
        load(session, args.n)
        loaded = time.perf_counter() - began
        # The deadlines the figures are measured against come from the deployed diagram.
        versions.deploy(session, [ROOT / "processes"])
        session.execute(text("ANALYZE"))
        session.commit()
        print(f"{engine.dialect.name}: {args.n} consultations loaded in {loaded:.1f} s")
        end = START + timedelta(days=400)
        slowest = 0.0
        for group_by in reports.GROUPINGS:
            best, median = timed(lambda g=group_by: reports.sla_report(session, START, end, g),
                                 args.runs)
            groups = len(reports.sla_report(session, START, end, group_by))
            print(f"  report by {group_by:<12} {groups:>4} rows  best {best:6.1f} ms"
                  f"  median {median:6.1f} ms")
            slowest = max(slowest, median)
        print(f"report_{engine.dialect.name}_slowest_median_ms_at_{args.n}: {slowest:.1f} "
              "(target < 300)")
        quarter = START + timedelta(days=91)
        best, median = timed(lambda: reports.sla_report(session, START, quarter, "lawyer"),
                             args.runs)
        print(f"  report by lawyer, one quarter    best {best:6.1f} ms  median {median:6.1f} ms")
        session.execute(m.AuditEvent.__table__.delete())
        session.commit()
        chain(session, args.n)
        best, median = timed(lambda: audit_verify.verify(session), 3)
        result = audit_verify.verify(session)
        print(f"  audit verify {result.checked} rows ok={result.ok}  best {best:6.0f} ms"
              f"  median {median:6.0f} ms")
    engine.dispose()


if __name__ == "__main__":
    main()
