"""A consultation's workflow loaded from its row and saved again, in-process.

What a use case pays when the workflow is not in its worker's cache of live workflows (the
other worker saved it last, the timer worker fires it, the cache let it go): the state
restored, then serialized for the save. Two ways alternate in one process, round by round:
reusing the stored JSON of the settled tasks (what `engine.workflow.state.load` does) and
converting every task afresh (`reuse=False`, what it did before). The states are real:
consultations through the API (as `bench/http_profile.py` runs them) waiting for the lawyer's
answer and for the citizen's rating.

    python bench/state_reload.py [--db URL] [-n 200] [--rounds 8]
"""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import select  # noqa: E402

from bench.http_profile import cycle, setup  # noqa: E402
from engine.actor import Actor  # noqa: E402
from engine.models import ProcessInstance  # noqa: E402
from engine.workflow import runtime, state  # noqa: E402
from web.extensions import db  # noqa: E402

QUESTION = {"title": "加班费", "question": "公司不支付加班费怎么办？", "category": "labor",
            "case_status": "none", "contact_phone": "13900000000"}


def waiting_states(client, citizen, lawyers) -> list[tuple]:
    """(state, spec, subprocess specs, script engine) of a consultation waiting for its
    answer and of one waiting for its rating."""
    ids = []
    for answer in (False, True):
        cid = client.post("/api/v1/consultations", headers=citizen, json=QUESTION).json["id"]
        ids.append(cid)
        if answer:
            name = client.get(f"/api/v1/consultations/{cid}", headers=citizen).json["lawyer"]
            task = next(t for t in client.get("/api/v1/tasks", headers=lawyers[name]).json
                        if t["consultation_id"] == cid)
            client.post(f"/api/v1/tasks/{task['id']}/complete", headers=lawyers[name], json={
                "data": {"decision": "answer", "answer_text": "可申请劳动仲裁。"}})
    found = []
    with client.application.app_context():
        for cid in ids:
            row_id = db.session.scalar(select(ProcessInstance.id).where(
                ProcessInstance.business_key == str(cid)))
            wf = runtime.load(db.session, row_id, Actor.system()).workflow
            found.append((bytes(db.session.get(ProcessInstance, row_id).state), wf.spec,
                          wf.subprocess_specs, wf.script_engine))
    return found


def reload_ms(states: list[tuple], reuse: bool, n: int) -> float:
    """CPU milliseconds per load and save, over `n` of each state."""
    began = time.process_time()
    for _ in range(n):
        for blob, spec, subprocess_specs, engine in states:
            state.dump(state.load(blob, spec, subprocess_specs, engine, reuse=reuse))
    return (time.process_time() - began) * 1000 / (n * len(states))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    ap.add_argument("-n", type=int, default=200, help="loads and saves per state and round")
    ap.add_argument("--rounds", type=int, default=8)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        client, citizen, lawyers = setup(args.db or f"sqlite:///{tmp}/reload.db")
        cycle(client, citizen, lawyers)  # warm: compiled statements, caches of specs
        states = waiting_states(client, citizen, lawyers)
        with client.application.app_context():
            db.engine.dispose()
    reusing, afresh = [], []
    for r in range(args.rounds):  # alternate, the first side changing each round
        for reuse in ((True, False) if r % 2 == 0 else (False, True)):
            (reusing if reuse else afresh).append(reload_ms(states, reuse, args.n))
    ratios = [a / b for a, b in zip(reusing, afresh, strict=True)]
    print(f"a consultation's workflow loaded from its row and saved ({len(states)} waiting "
          f"states, {args.rounds} rounds x {args.n}): reusing the stored JSON "
          f"{statistics.median(reusing):.2f} ms, every task afresh "
          f"{statistics.median(afresh):.2f} ms")
    print(f"state_reload_ratio: {statistics.median(ratios):.2f} (reusing / afresh, rounds "
          f"{min(ratios):.2f}-{max(ratios):.2f}; no target)")


if __name__ == "__main__":
    main()
