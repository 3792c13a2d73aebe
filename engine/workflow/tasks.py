"""Use cases on human tasks: the inbox, a task with its form, claim, release, complete."""
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.errors import NotAllowed, NotFound, TaskConflict
from engine.models import HumanTask, utcnow
from engine.people.roles import CONTACT_FIELDS
from engine.statements import driver, human_task
from engine.uow import read_only, transaction
from engine.workflow import forms, incidents, live, runtime, whereabouts
from engine.workflow.process_facts import process_facts
from engine.workflow.rows import InstanceRow
from engine.workflow.versions import version_of

SUPERVISING = frozenset({"admin"})  # may look at any task, never act on it
_CLAIMED_BY = human_task.TABLE.c.claimed_by


@dataclass(frozen=True)
class TaskInfo:
    id: str
    key: str
    name: str
    role: str
    instance_id: int
    business_key: str | None
    assignee_id: int | None
    claimed_by: int | None
    institution_id: int | None
    created_at: datetime
    due_at: datetime | None
    state: str
    reassign_from: int | None = None  # waiting for a duty officer to reassign it

    @classmethod
    def of(cls, h) -> "TaskInfo":
        """From a HumanTask row or a result row with the same columns."""
        return cls(h.id, h.bpmn_id, h.name, h.role, h.instance_id, h.business_key,
                   h.assignee_id, h.claimed_by, h.institution_id, h.created_at, h.due_at,
                   h.state, h.reassign_from)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class TaskDetail:
    task: TaskInfo
    form: list[forms.FieldInfo]
    data: dict = field(default_factory=dict)  # current values of the form's fields
    revision: int = 0
    documentation: str = ""
    context: dict = field(default_factory=dict)  # the process data the task's user may read
    actionable: bool = True  # whether the actor may claim or complete it (may_act)
    deadline: timedelta | None = None  # as the version's diagram sets it (process_facts)


def may_act(h: HumanTask, actor: Actor) -> bool:
    """Whether `actor` may claim or complete the task: the policy's `work_tasks` (role and
    standing as the actor was read), then the task's own assignee, claim and institution."""
    if not access.can(actor, "work_tasks"):
        return False
    if h.reassign_from is not None:  # only engine.reassign may touch it until reassigned
        return False
    if h.assignee_id is not None:
        return h.assignee_id == actor.id
    if h.claimed_by is not None and h.claimed_by != actor.id:
        return False
    if actor.role != h.role:
        return False
    return h.institution_id is None or h.institution_id == actor.institution_id


def _may_see(h: HumanTask, actor: Actor) -> bool:
    waiting = h.reassign_from is not None and h.role == actor.role
    return (may_act(h, actor) or waiting or h.claimed_by == actor.id
            or actor.role in SUPERVISING)


def inbox_params(actor: Actor, limit: int = 500) -> dict:
    return {"actor_id": actor.id, "role": actor.role, "institution_id": actor.institution_id,
            "limit": limit}


def tasks_for_user(session: Session, actor: Actor, limit: int = 500) -> list[TaskInfo]:
    """The actor's inbox, soonest deadline first; empty for anyone not in good standing."""
    if not access.in_standing(actor):
        return []
    found = driver.read(session, human_task.INBOX_DIRECT, inbox_params(actor, limit))
    return [TaskInfo.of(h) for h in found]


def waiting_for_reassignment(session: Session, queue_role: str) -> list[TaskInfo]:
    """Ready tasks taken from someone (e.g. a disqualified lawyer) that wait in `queue_role`'s
    queue for a reassignment, soonest deadline first."""
    with read_only(session):
        return [TaskInfo.of(h) for h in session.execute(human_task.QUEUED, {"role": queue_role})]


def _human_task(session: Session, task_id: str, actor: Actor):
    h = session.execute(human_task.BY_ID, {"task_id": str(task_id)}).first()
    if h is None or not _may_see(h, actor):
        raise _unseen(session, task_id, actor)
    return h


def _unseen(session: Session, task_id: str, actor: Actor) -> NotFound | TaskConflict:
    """Why the actor cannot see the task: it left them (TaskGone, a conflict: a colleague
    claimed or did it, it was reassigned or withdrawn), or, as far as they may know, it does
    not exist (other people's work is not described)."""
    gone = whereabouts.explain(session, task_id, actor)
    return NotFound("任务不存在") if gone is None else gone.error()


def get_task(session: Session, task_id: str, actor: Actor) -> TaskDetail:
    """A task with its form description and the data its form shows."""
    with read_only(session):
        h = _human_task(session, task_id, actor)
        loaded = runtime.load(session, h.instance_id, actor)
        task = loaded.task(h.id)
        if task is None:
            raise NotFound("任务不存在")
        fields = forms.describe(task.task_spec.form)
        shown = {f.id: task.data.get(f.id) for f in fields if f.id in task.data}
        facts = process_facts(version_of(session, loaded.row.version_id))
        detail = TaskDetail(TaskInfo.of(h), fields, shown, loaded.row.revision,
                            task.task_spec.documentation or "", _context(task.data, actor),
                            actionable=may_act(h, actor) and h.state == "ready",
                            deadline=facts.deadline(h.bpmn_id, task.workflow.spec.name))
        # Unchanged: the completion that follows reuses it.
        live.keep(session, loaded.row, loaded.workflow, loaded.projected)
        return detail


def _context(data: dict, actor: Actor) -> dict:
    """Process data shown beside the form: plain values only, contact details by role."""
    plain = (str, int, float, bool, type(None), list)
    hidden = set() if access.can(actor, "read_contact") else CONTACT_FIELDS
    return {k: v for k, v in data.items()
            if not k.startswith("_") and k not in hidden and isinstance(v, plain)}


def claim(session: Session, task_id: str, actor: Actor) -> TaskInfo:
    """Take a role's task for yourself."""
    with transaction(session):
        h = _ready(session, task_id, actor)
        if h.claimed_by != actor.id and _take(session, h, actor):
            audit.record(session, "claim", actor.id, instance_id=h.instance_id, task_id=h.id,
                         task_key=h.bpmn_id, business_key=h.business_key)
    return replace(TaskInfo.of(h), claimed_by=actor.id)


def _take(session: Session, h, actor: Actor) -> bool:
    """Claim `h` for `actor`: True if this call claimed it, False if the actor's own
    concurrent claim got there first (a double click succeeds twice, not once and a 409)."""
    result = session.execute(human_task.CLAIM, {"task_id": h.id, "actor_id": actor.id})
    if result.rowcount == 1:
        return True
    now = session.execute(human_task.BY_ID, {"task_id": h.id}).first()  # the committed claim
    if now is not None and now.state == "ready" and now.claimed_by == actor.id:
        return False
    raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试")


def release(session: Session, task_id: str, actor: Actor) -> TaskInfo:
    """Give a claimed task back to the role."""
    with transaction(session):
        h = _human_task(session, task_id, actor)
        if h.state != "ready":
            raise TaskConflict("该任务已完成或已取消")
        if h.claimed_by != actor.id:
            raise NotAllowed("只能释放自己认领的任务")
        human_task.update_ready(session, h.id, _CLAIMED_BY == actor.id, claimed_by=None)
        audit.record(session, "release", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key)
    return replace(TaskInfo.of(h), claimed_by=None)


def _ready(session: Session, task_id: str, actor: Actor):
    h = _human_task(session, task_id, actor)
    _check_ready(h, actor)
    access.require_standing(session, actor)  # read now: a sanction a moment ago counts
    return h


def _check_ready(h, actor: Actor) -> None:
    if h.state != "ready":
        raise TaskConflict("该任务已完成或已取消")
    if not may_act(h, actor):
        raise NotAllowed("您无权处理此任务")


def _ready_with_instance(session: Session, task_id: str, actor: Actor) -> tuple:
    """`_ready` and the instance's row, read together (one statement with the actor's status)."""
    found = driver.fetch(session, human_task.FOR_COMPLETION,
                         {"task_id": str(task_id), "actor_id": actor.id})
    h = found[0] if found else None
    if h is None or not _may_see(h, actor):
        raise _unseen(session, task_id, actor)
    _check_ready(h, actor)
    access.require_status(actor, h.actor_status)  # read now, with the task
    values = h._mapping
    return h, InstanceRow(**{k[3:]: v for k, v in values.items() if k.startswith("pi_")})


def complete(session: Session, task_id: str, actor: Actor, data: dict,
             revision: int | None = None) -> TaskInfo:
    """Validate `data` against the task's form, complete it and advance the instance; a step
    that fails or overruns its budget makes the instance an incident (InstanceFailed)."""
    with incidents.recorded(session, actor), transaction(session):
        h, row = _ready_with_instance(session, task_id, actor)
        loaded = runtime.load(session, h.instance_id, actor, row)
        if revision is not None and revision != loaded.row.revision:
            raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试")
        runtime.advance_if_due(loaded)  # a deadline that passed first wins
        task = loaded.task(h.id)
        if task is None or task.state != TaskState.READY:
            raise TaskConflict("该任务已过期或已被重新分配")
        clean = forms.validate_data(task.task_spec.form, data)
        task.data.update(clean)
        driver.write(session, human_task.COMPLETE,
                     {"task_id": h.id, "actor_id": actor.id, "at": utcnow()}, expect=1)
        if loaded.projected is not None:  # no longer ready: the projection has nothing to cancel
            loaded.projected.pop(h.id, None)
        driver.write(session, human_task.SPEND_DRAFTS,
                     {"instance_id": h.instance_id, "bpmn_id": h.bpmn_id})
        runtime.run_task(loaded, task)
        audit.record(session, "complete", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key, data={"data": clean})
        runtime.save(loaded)
    return replace(TaskInfo.of(h), state="completed", claimed_by=h.claimed_by or actor.id)
