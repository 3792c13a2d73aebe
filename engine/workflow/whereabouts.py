"""What became of a task someone was told about: a notice's link outlives the task, so a
colleague who took it, a completion or a withdrawal is explained rather than "not found".
The task use cases (engine.workflow.tasks) raise it as TaskGone where they would otherwise
say the task does not exist."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.errors import TaskGone
from engine.models import AuditEvent, HumanTask
from engine.people.users import shown_name
from engine.uow import read_only

CLAIMED, COMPLETED, REASSIGNED, WITHDRAWN = "claimed", "completed", "reassigned", "withdrawn"


@dataclass(frozen=True)
class Whereabouts:
    state: str  # one of the four above
    by: str | None = None  # the colleague who took or did it
    by_you: bool = False  # the person asking did it themselves

    def error(self) -> TaskGone:
        """The conflict a use case answers with (409 in the web layer, which words it)."""
        if self.state == COMPLETED and self.by_you:
            message = "您已办理完该任务。"
        else:
            message = _MESSAGES[self.state].format(by=self.by or "")
        return TaskGone(message, self.state, self.by, self.by_you)


_MESSAGES = {CLAIMED: "该任务已由 {by} 领取。", COMPLETED: "该任务已由 {by} 办理完毕。",
             REASSIGNED: "该任务已改派他人。", WITHDRAWN: "该任务已无需办理：流程已经往下走了。"}


def whereabouts(session: Session, task_id: str, actor: Actor) -> Whereabouts | None:
    """Why `actor` may no longer open a task that was once theirs to take or do; None when it
    never was (nothing is said about other people's work), when it still is, or when the
    actor is not in good standing (a disqualified person is told nothing)."""
    with read_only(session):
        return explain(session, task_id, actor)


def explain(session: Session, task_id: str, actor: Actor) -> Whereabouts | None:
    """`whereabouts` within the caller's own read or transaction; the actor's standing is read
    now (a use case may hold an actor made before a sanction)."""
    if not (access.in_standing(actor) and access.user_in_standing(session, actor.id)):
        return None
    h = session.get(HumanTask, str(task_id))
    if h is None:
        return None
    if not _was_offered(h, actor):  # the row no longer names them once it was handed over
        return Whereabouts(REASSIGNED) if _taken_from(session, h, actor.id) else None
    if h.state == "completed":
        return Whereabouts(COMPLETED, shown_name(session, h.completed_by),
                           by_you=h.completed_by == actor.id)
    if h.state != "ready":
        return Whereabouts(WITHDRAWN)
    if h.claimed_by not in (None, actor.id):
        return Whereabouts(CLAIMED, shown_name(session, h.claimed_by))
    if h.assignee_id not in (None, actor.id) or h.reassign_from == actor.id:
        return Whereabouts(REASSIGNED)
    return None


def _was_offered(h: HumanTask, actor: Actor) -> bool:
    """Offered to the actor's role (and institution, when the task names one) as a pool task,
    or assigned to, claimed, reassigned from or completed by them."""
    pool = (h.assignee_id is None and h.role == actor.role
            and h.institution_id in (None, actor.institution_id))
    return pool or actor.id in (h.assignee_id, h.claimed_by, h.reassign_from, h.completed_by)


def _taken_from(session: Session, h: HumanTask, user_id: int) -> bool:
    """The audit log says the task was taken from `user_id` (disqualified or disabled) to be
    reassigned (engine.consultation.reassign.queue_tasks_of)."""
    found = session.scalars(select(AuditEvent.data).where(
        AuditEvent.instance_id == h.instance_id, AuditEvent.task_id == h.id,
        AuditEvent.action == "task_queued"))
    return any((data or {}).get("from") == user_id for data in found)
