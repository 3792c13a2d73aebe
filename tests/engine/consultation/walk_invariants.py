"""The rules the invariant walker checks after every step, read from the database.

Each check returns the violations it found as sentences; an empty list means the rule holds.
`Watch` keeps what earlier steps saw, so that "in good standing at that moment" is judged at
the step where an answer reached the citizen (published, or released by a supervisor): a
step is one use case, and a sanction publishes nothing, so standing now is standing then.
"""
from collections import defaultdict

from sqlalchemy import select

from engine.actor import Actor
from engine.consultation import cases
from engine.consultation.solicitation import scan
from engine.models import ACTIVE, Answer, AuditEvent, Consultation, HumanTask, ProcessInstance, User

LAWYER_KINDS = ("answer", "refusal", "overruled_refusal")  # a lawyer's own answering turn
EXPERT_KINDS = ("expert", "expert_endorsement")  # the expert group's, shown as its own
SHOWN_KINDS = ("answer", "refusal") + EXPERT_KINDS  # what the citizen may see (unless held)


class Watch:
    """What the walk has seen so far in one example."""

    def __init__(self):
        self.answers: dict[int, bool] = {}  # answer id -> held, as last seen

    def new_answers(self, session) -> tuple[list[Answer], set[int]]:
        """Answers the citizen sees since the last check (newly published or released), and
        the consultations whose answers changed."""
        rows = list(session.scalars(select(Answer).order_by(Answer.id)))
        shown = [a for a in rows if a.kind in SHOWN_KINDS and not a.held
                 and self.answers.get(a.id, True)]
        changed = {a.consultation_id for a in rows if self.answers.get(a.id, None) != a.held}
        self.answers = {a.id: a.held for a in rows}
        return shown, changed


def _users(session) -> dict[int, User]:
    return {u.id: u for u in session.scalars(select(User))}


def standing(session, new: list[Answer]) -> list[str]:
    """Every answer the citizen sees was made (or approved) by someone in good standing when
    it reached them:
    a lawyer's by an active lawyer, a drafted one approved by that lawyer and drafted by an
    active colleague of the same institution, the expert group's by an active expert."""
    users, found = _users(session), []
    for a in new:
        author = users.get(a.author_id)
        role = "expert" if a.kind in EXPERT_KINDS else "lawyer"
        if author is None or author.role != role or author.status != ACTIVE:
            found.append(f"answer {a.id} ({a.kind}) of consultation {a.consultation_id} by "
                         f"{author and author.username} ({author and author.status}), "
                         f"not an active {role}")
            continue
        if a.drafter_id is None:
            continue
        drafter = users.get(a.drafter_id)
        if a.approver_id != a.author_id:
            found.append(f"answer {a.id}: drafted, but approved by {a.approver_id}, "
                         f"not by its author {a.author_id}")
        if drafter is None or drafter.status != ACTIVE \
                or drafter.institution_id != author.institution_id:
            found.append(f"answer {a.id}: drafted by {drafter and drafter.username} "
                         f"({drafter and drafter.status}) of institution "
                         f"{drafter and drafter.institution_id}, published by "
                         f"{author.username} of institution {author.institution_id}")
    return found


def no_reanswer(session) -> list[str]:
    """No lawyer answers a consultation in two rounds, and a lawyer whose refusal a duty
    officer overruled does not answer it again (the expert group aside)."""
    rows = session.execute(select(Answer.consultation_id, Answer.author_id, Answer.round,
                                  Answer.kind, Answer.id)
                           .where(Answer.kind.in_(LAWYER_KINDS)).order_by(Answer.id))
    rounds, overruled, found = defaultdict(set), {}, []
    for cid, author, round_, kind, answer_id in rows:
        if (cid, author) in overruled:
            found.append(f"consultation {cid}: answer {answer_id} by {author}, whose refusal "
                         f"{overruled[cid, author]} was overruled")
        rounds[cid, author].add(round_)
        if kind == "overruled_refusal":
            overruled[cid, author] = answer_id
    found += [f"consultation {cid}: lawyer {author} answered in rounds {sorted(r)}"
              for (cid, author), r in rounds.items() if len(r) > 1]
    return found


def no_touting_shown(session, changed: set[int]) -> list[str]:
    """What the citizen sees (through the same use case the citizen's page calls) holds no
    touting text, unless a supervisor released it."""
    found = []
    released = {e.data.get("answer_id") for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "answer_released"))}
    for cid in sorted(changed):
        row = session.get(Consultation, cid)
        citizen = session.get(User, row.citizen_id)
        detail = cases.get_consultation(session, cid, Actor.of(citizen))
        for a in detail.answers:
            reasons = scan(a.text)
            if reasons and a.id not in released:
                found.append(f"consultation {cid}: the citizen sees {a.kind} {a.id} with "
                             f"{reasons}, never released")
    return found


def no_dead_end(session) -> list[str]:
    """Every running instance waits on an open task or a timer, itself or through a running
    child instance that does."""
    running = {i.id: i for i in session.execute(
        select(ProcessInstance.id, ProcessInstance.process_key, ProcessInstance.business_key,
               ProcessInstance.parent_id, ProcessInstance.next_timer_at)
        .where(ProcessInstance.status == "running"))}
    with_task = set(session.scalars(select(HumanTask.instance_id)
                                    .where(HumanTask.state == "ready")))
    live = {i for i, row in running.items() if i in with_task or row.next_timer_at is not None}
    children = defaultdict(list)
    for row in running.values():
        if row.parent_id is not None:
            children[row.parent_id].append(row.id)

    def alive(i, depth=0) -> bool:
        return i in live or (depth < 5 and any(alive(c, depth + 1) for c in children[i]))

    return [f"instance {i} ({row.process_key}, consultation {row.business_key}) is running "
            f"with no open task, no timer and no child that has one"
            for i, row in running.items() if not alive(i)]


def no_task_held_by_the_inactive(session) -> list[str]:
    """No ready task is assigned to, or claimed by, a person who is not active."""
    users = _users(session)
    found = []
    for h in session.scalars(select(HumanTask).where(HumanTask.state == "ready")):
        for how, uid in (("assigned to", h.assignee_id), ("claimed by", h.claimed_by)):
            if uid is not None and users[uid].status != ACTIVE:
                found.append(f"task {h.bpmn_id} of consultation {h.business_key} is {how} "
                             f"{users[uid].username} ({users[uid].status})")
    return found
