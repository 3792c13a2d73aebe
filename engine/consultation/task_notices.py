"""Everyone who holds work is told: each newly ready user task notifies its holder.

The runtime reports new human_task rows (engine.workflow.task_events); this listener queues,
in the same transaction, one notification per holder: the assignee, or else every active
user who may claim it (the task's role, and its institution when it names one — the rule
engine.workflow.tasks.may_act applies). The notice links to the task itself. A person a
diagram step already told about the same consultation in this step is not told twice: that
notice keeps its text and now leads to the task. Citizens are told about their consultation
by the domain (e.g. "answer_published"), not about tasks.
"""
from sqlalchemy.orm import Session

from engine.consultation.facts import task_deadline
from engine.consultation.notice_texts import TASK_NOTICES, deadline_task, render, task_link
from engine.models import Consultation
from engine.notifications.outbox import notify, relink, sent_in_transaction
from engine.statements import driver, user_account
from engine.workflow import task_events

FALLBACK_KIND = "task_waiting"
NOT_TOLD = frozenset({"citizen"})  # told by the consultation's own notices


def holders(session: Session, row: dict) -> list[int]:
    """Who holds a new task: its assignee, else the active users who may claim it."""
    if row["assignee_id"] is not None:
        return [row["assignee_id"]]
    if row["institution_id"] is not None:
        found = driver.fetch(session, user_account.HOLDERS_IN_INSTITUTION,
                             {"role": row["role"], "institution_id": row["institution_id"]})
    else:
        found = driver.fetch(session, user_account.HOLDERS, {"role": row["role"]})
    return [r[0] for r in found]


@task_events.on_created
def tell_holders(session: Session, rows: list[dict]) -> None:
    """Notify the holder(s) of each new task (listener of engine.workflow.task_events)."""
    told = sent_in_transaction(session)
    for row in rows:
        if row["role"] in NOT_TOLD:
            continue
        consultation = _consultation(session, row["business_key"])
        kind = TASK_NOTICES.get(row["bpmn_id"], FALLBACK_KIND)
        for user_id in holders(session, row):
            earlier = _take_earlier(told.get((user_id, row["business_key"])), kind)
            if earlier is not None:
                relink(session, earlier, task_link(row["id"]))
            else:
                _send(session, user_id, kind, row, consultation)


def _take_earlier(earlier: list[tuple] | None, kind: str):
    """The notice already queued for this person and matter that announces the task (one of
    its own kind first), taken so that a second task gets its own."""
    if not earlier:
        return None
    chosen = next((e for e in earlier if e[1] == kind), earlier[0])
    earlier.remove(chosen)
    return chosen[0]


def _send(session: Session, user_id: int, kind: str, row: dict,
          consultation: Consultation | None) -> None:
    number = consultation.id if consultation is not None else row["business_key"]
    title = consultation.title if consultation is not None else row["name"]
    task = deadline_task(kind)
    deadline = None if task is None else task_deadline(session, task, row["version_id"])
    subject, body = render(kind, number, title, f"（{row['name']}）", deadline)
    notify(session, user_id, kind, subject, body, link=task_link(row["id"]),
           business_key=row["business_key"])


def _consultation(session: Session, business_key: str | None) -> Consultation | None:
    if not business_key or not str(business_key).isdigit():
        return None
    return session.get(Consultation, int(business_key))
