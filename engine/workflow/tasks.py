"""Use cases on human tasks: the inbox, a task with its form, claim, release, complete."""
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import bindparam, delete, func, or_, select, union_all, update
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.errors import NotAllowed, NotFound, TaskConflict
from engine.models import HumanTask, TaskDraft, utcnow
from engine.people.roles import CONTACT_FIELDS
from engine.uow import read_only, transaction
from engine.workflow import forms, incidents, live, runtime
from engine.workflow.process_facts import process_facts
from engine.workflow.versions import version_of

SUPERVISING = frozenset({"admin"})  # may look at any task, never act on it
# Table columns, not ORM attributes: the statements run on SQLAlchemy's Core path (no ORM
# compile step, no autoflush), which costs about half as much per query.
_T = HumanTask.__table__.c
COLUMNS = (_T.id, _T.bpmn_id, _T.name, _T.role, _T.instance_id, _T.business_key, _T.assignee_id,
           _T.claimed_by, _T.institution_id, _T.created_at, _T.due_at, _T.state, _T.reassign_from)


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


def _inbox_statement():
    """Three index range scans (assigned to me; open to my role; open to my role in my
    institution) merged: one query with ORs would make SQLite scan every ready task.

    It lists exactly what `may_act` allows: a task waiting for reassignment is no one's to
    claim (duty officers see those in `waiting_for_reassignment`)."""
    actor_id, role, inst = bindparam("actor_id"), bindparam("role"), bindparam("institution_id")
    order = (_T.due_at.is_(None), _T.due_at, _T.created_at)
    ready = _T.state == "ready"
    claim_ok = or_(_T.claimed_by.is_(None), _T.claimed_by == actor_id)
    open_to_role = (ready, _T.role == role, _T.assignee_id.is_(None), claim_ok,
                    _T.reassign_from.is_(None))
    parts = [
        select(*COLUMNS).where(ready, _T.assignee_id == actor_id),
        select(*COLUMNS).where(*open_to_role, _T.institution_id.is_(None)),
        select(*COLUMNS).where(*open_to_role, _T.institution_id == inst),
    ]
    limited = [select(q.order_by(*order).limit(bindparam("limit")).subquery()) for q in parts]
    both = union_all(*limited).subquery()
    return (select(both)
            .order_by(both.c.due_at.is_(None), both.c.due_at, both.c.created_at)
            .limit(bindparam("limit")))


# Built once: the inbox is the most frequent query, and reusing the statement object spares
# SQLAlchemy from rebuilding its cache key on every call.
INBOX = _inbox_statement()


def inbox_params(actor: Actor, limit: int = 500) -> dict:
    return {"actor_id": actor.id, "role": actor.role, "institution_id": actor.institution_id,
            "limit": limit}


def tasks_for_user(session: Session, actor: Actor, limit: int = 500) -> list[TaskInfo]:
    """The actor's inbox, soonest deadline first; empty for anyone not in good standing."""
    if not access.in_standing(actor):
        return []
    with read_only(session):
        return [TaskInfo.of(h) for h in session.execute(INBOX, inbox_params(actor, limit))]


_QUEUED = (select(*COLUMNS).where(_T.state == "ready", _T.reassign_from.is_not(None))
           .order_by(_T.due_at.is_(None), _T.due_at, _T.created_at))


def waiting_for_reassignment(session: Session, queue_role: str) -> list[TaskInfo]:
    """Ready tasks taken from someone (e.g. a disqualified lawyer) that wait in `queue_role`'s
    queue for a reassignment, soonest deadline first."""
    with read_only(session):
        return [TaskInfo.of(h) for h in session.execute(_QUEUED.where(_T.role == queue_role))]


_BY_ID = select(*COLUMNS).where(_T.id == bindparam("task_id"))
_TABLE = HumanTask.__table__


def _human_task(session: Session, task_id: str, actor: Actor):
    h = session.execute(_BY_ID, {"task_id": str(task_id)}).first()
    if h is None or not _may_see(h, actor):
        raise NotFound("任务不存在")
    return h


def _update_ready(session: Session, h, *where, **values) -> None:
    """Change a task row that must still be ready (and match `where`); else a conflict."""
    result = session.execute(update(_TABLE).where(_TABLE.c.id == h.id,
                                                  _TABLE.c.state == "ready", *where)
                             .values(**values))
    if result.rowcount != 1:
        raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试")


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
        live.keep(session, loaded.row, loaded.workflow)  # unchanged: the completion reuses it
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
    result = session.execute(update(_TABLE).where(_TABLE.c.id == h.id, _TABLE.c.state == "ready",
                                                  _TABLE.c.claimed_by.is_(None))
                             .values(claimed_by=actor.id))
    if result.rowcount == 1:
        return True
    now = session.execute(_BY_ID, {"task_id": h.id}).first()  # sees the committed claim
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
        _update_ready(session, h, _TABLE.c.claimed_by == actor.id, claimed_by=None)
        audit.record(session, "release", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key)
    return replace(TaskInfo.of(h), claimed_by=None)


def _ready(session: Session, task_id: str, actor: Actor):
    h = _human_task(session, task_id, actor)
    if h.state != "ready":
        raise TaskConflict("该任务已完成或已取消")
    if not may_act(h, actor):
        raise NotAllowed("您无权处理此任务")
    access.require_standing(session, actor)  # read now: a sanction a moment ago counts
    return h


def complete(session: Session, task_id: str, actor: Actor, data: dict,
             revision: int | None = None) -> TaskInfo:
    """Validate `data` against the task's form, complete it and advance the instance; a step
    that fails or overruns its budget makes the instance an incident (InstanceFailed)."""
    with incidents.recorded(session, actor), transaction(session):
        h = _ready(session, task_id, actor)
        loaded = runtime.load(session, h.instance_id, actor)
        if revision is not None and revision != loaded.row.revision:
            raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试")
        runtime.advance_if_due(loaded)  # a deadline that passed first wins
        task = loaded.task(h.id)
        if task is None or task.state != TaskState.READY:
            raise TaskConflict("该任务已过期或已被重新分配")
        clean = forms.validate_data(task.task_spec.form, data)
        task.data.update(clean)
        _update_ready(session, h, state="completed", completed_by=actor.id,
                      completed_at=utcnow(),
                      claimed_by=func.coalesce(_TABLE.c.claimed_by, actor.id))
        # Everyone's autosaved input on this step is spent once it is done.
        session.execute(delete(TaskDraft).where(TaskDraft.instance_id == h.instance_id,
                                                TaskDraft.bpmn_id == h.bpmn_id))
        runtime.run_task(loaded, task)
        audit.record(session, "complete", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key, data={"data": clean})
        runtime.save(loaded)
    return replace(TaskInfo.of(h), state="completed", claimed_by=h.claimed_by or actor.id)
