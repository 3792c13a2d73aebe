"""What the database indexes about a workflow: its next timer and its ready user tasks."""
from datetime import datetime

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select

from engine import access
from engine.models import User, utcnow
from engine.people.roles import ROLES, role_for_lane
from engine.statements import driver, human_task
from engine.workflow import task_events
from engine.workflow.parser import ASSIGNEE, CANDIDATE_GROUPS

CITIZEN = "citizen"


def _as_datetime(value) -> datetime | None:
    if isinstance(value, str):
        try:
            return TimerEventDefinition.get_datetime(value)
        except (ValueError, TypeError):
            return None
    if isinstance(value, dict) and "next" in value:  # cycle timers
        return _as_datetime(value["next"])
    return None


def next_timer_at(workflow) -> datetime | None:
    """The earliest due time among the workflow's waiting timers."""
    times = [_as_datetime(e.value) for e in workflow.waiting_events()
             if e.event_type.endswith("TimerEventDefinition")]
    times = [t for t in times if t is not None]
    return min(times) if times else None


def due_at(task) -> datetime | None:
    """The deadline of a user task: its (or an enclosing subprocess's) boundary timer.

    Interrupting timers are the deadline; a non-interrupting one counts only when there is no
    interrupting timer (e.g. a reminder-only deadline).
    """
    hard, soft = [], []
    current = task
    while current is not None:
        parent = current.parent
        if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit):
            for sibling in parent.children:
                when = _as_datetime(sibling._get_internal_data("event_value"))
                if when is not None and sibling.state == TaskState.WAITING:
                    interrupting = getattr(sibling.task_spec, "cancel_activity", False)
                    (hard if interrupting else soft).append(when)
        if parent is None:
            workflow = current.workflow
            parent_id = getattr(workflow, "parent_task_id", None)
            parent = workflow.top_workflow.get_task_from_id(parent_id) if parent_id else None
        current = parent
    return min(hard) if hard else (min(soft) if soft else None)


def _expression(task, raw: str):
    raw = raw.strip()
    if raw.startswith("${") and raw.endswith("}"):
        return task.workflow.script_engine.evaluate(task, raw[2:-1])
    return raw


def _assignee(session, task) -> int | None:
    raw = task.task_spec.extensions.get(ASSIGNEE)
    if not raw:
        return None
    value = _expression(task, raw)
    if value in (None, ""):
        return None
    if isinstance(value, int) or str(value).isdigit():
        return int(value)
    return session.scalar(select(User.id).where(User.username == str(value)))


def _groups(task) -> list[str]:
    raw = task.task_spec.extensions.get(CANDIDATE_GROUPS) or ""
    groups = []
    for part in filter(None, (p.strip() for p in raw.split(","))):
        if part.startswith("institution:"):
            value = _expression(task, part.split(":", 1)[1])
            groups.append(f"institution:{value}" if value not in (None, "") else "")
        else:
            groups.append(str(_expression(task, part)))
    return [g for g in groups if g]


def new_human_task(session, row, task) -> dict:
    """The human_task row (as column values) for a newly ready user task.

    Work that falls to someone no longer in good standing (e.g. a delegated draft coming back
    for the approval of a lawyer disqualified meanwhile) never reaches them: it waits in the
    reassignment queue. Citizens' own steps stay theirs.
    """
    groups = _groups(task)
    roles = [g for g in groups if g in ROLES]
    institutions = [int(g.split(":", 1)[1]) for g in groups
                    if g.startswith("institution:") and g.split(":", 1)[1].isdigit()]
    role = roles[0] if roles else (role_for_lane(task.task_spec.lane) or "admin")
    assignee, queued_from = _assignee(session, task), None
    if assignee is not None and role != CITIZEN and not access.user_in_standing(session, assignee):
        assignee, queued_from, role = None, assignee, access.REASSIGNMENT_QUEUE_ROLE
    return dict(
        id=str(task.id), instance_id=row.id, bpmn_id=task.task_spec.bpmn_id,
        name=task.task_spec.bpmn_name or task.task_spec.bpmn_id, role=role,
        assignee_id=assignee, reassign_from=queued_from, candidate_groups=groups,
        institution_id=institutions[0] if institutions else None,
        business_key=row.business_key, state="ready", created_at=utcnow(), due_at=due_at(task))


def project_tasks(session, row, workflow, known: dict | None = None) -> dict:
    """Bring the instance's human_task rows in line with its ready user tasks; the ready rows
    as they now stand (id -> due_at). `known`: those rows as they stood (the instance's last
    save, from the live cache; empty for an instance started in this transaction), or None to
    read them. Its writes are queued (engine.statements.driver): they travel together."""
    ready = {str(t.id): t for t in workflow.get_tasks(state=TaskState.READY, manual=True)}
    if known is None:
        known = dict(tuple(r) for r in driver.fetch(
            session, human_task.READY_OF_INSTANCE_DIRECT, {"instance_id": row.id}))
    projected = {}
    now = utcnow()
    for task_id in known:
        if task_id not in ready:
            driver.write(session, human_task.CANCEL_ONE, {"task_id": task_id, "at": now})
    for task_id, task in ready.items():
        if task_id in known:
            # A reminder that fired leaves no timer waiting: the deadline it marked has passed
            # but is still the task's deadline (shown as overdue), not "no deadline".
            due = due_at(task)
            if due is not None and due != known[task_id]:
                driver.write(session, human_task.SET_DUE_DIRECT, {"task_id": task_id, "due": due})
            projected[task_id] = due if due is not None else known[task_id]
    new = [new_human_task(session, row, t) for tid, t in ready.items() if tid not in known]
    for values in new:
        driver.write(session, human_task.INSERT_DIRECT, values)
        projected[values["id"]] = values["due_at"]
    if new:  # listeners are told the version too (e.g. to read its deadlines, no query)
        task_events.created(session, [{**values, "version_id": row.version_id} for values in new])
    return projected
