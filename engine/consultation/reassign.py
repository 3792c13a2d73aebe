"""Moving assigned work: a disqualified lawyer's open tasks, and a duty officer's reassignment.

A user task names its assignee with `camunda:assignee="${variable}"`. Reassigning writes the
new user id into that variable of the ready task, so the task and every later task that reads
the same variable (e.g. the lawyer's review of a delegated draft) follow the new assignee.
"""
import re

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.errors import InvalidInput, NotAllowed, NotFound, TaskConflict
from engine.models import ACTIVE, Consultation, HumanTask, Institution, ProcessInstance, User
from engine.notifications.sanction_notices import active_ids, notify
from engine.people.roles import role_for_lane
from engine.uow import read_only, transaction
from engine.workflow import incidents, runtime, tasks
from engine.workflow.parser import ASSIGNEE
from engine.workflow.tasks import TaskInfo

REASSIGNERS = frozenset({"duty_officer", "admin"})
QUEUE_ROLE = "duty_officer"
QUEUE_PAGE = "/ops/reassign"  # where the queued tasks are, each with its picker
_VARIABLE = re.compile(r"^\$\{\s*([A-Za-z_]\w*)\s*\}$")


def assignee_variable(task_spec) -> str | None:
    """The task data variable named by the task's assignee expression, if it is a plain name."""
    match = _VARIABLE.match((task_spec.extensions.get(ASSIGNEE) or "").strip())
    return match.group(1) if match else None


def queue_tasks_of(session: Session, user_id: int, actor_id: int | None) -> list[str]:
    """Take a user's ready tasks away from them in the caller's transaction.

    Tasks assigned to them wait in the duty officers' inbox for reassignment; tasks they had
    only claimed go back to their role. Returns the ids of the queued tasks.
    """
    ready = list(session.scalars(select(HumanTask).where(
        HumanTask.state == "ready",
        (HumanTask.assignee_id == user_id) | (HumanTask.claimed_by == user_id))))
    queued = []
    for h in ready:
        assigned = h.assignee_id == user_id
        if assigned:
            h.assignee_id, h.role, h.reassign_from = None, QUEUE_ROLE, user_id
            queued.append(h.id)
        h.claimed_by = None
        audit.record(session, "task_queued" if assigned else "release", actor_id,
                     instance_id=h.instance_id, task_id=h.id, task_key=h.bpmn_id,
                     business_key=h.business_key, data={"from": user_id})
    if ready:
        # A completion racing with this transaction must fail on the instance's revision
        # check rather than silently finish work that was just taken away.
        session.execute(update(ProcessInstance)
                        .where(ProcessInstance.id.in_({h.instance_id for h in ready}))
                        .values(revision=ProcessInstance.revision + 1),
                        execution_options={"synchronize_session": False})
    if queued:
        for officer in active_ids(session, QUEUE_ROLE):
            notify(session, officer, "reassignment_needed", link=QUEUE_PAGE, count=len(queued))
    return queued


def queued(session: Session, actor: Actor) -> list[TaskInfo]:
    """Use case: the tasks waiting for a duty officer to reassign them."""
    if actor.role not in REASSIGNERS:
        raise NotAllowed("只有值班人员可以改派任务")
    return tasks.waiting_for_reassignment(session, QUEUE_ROLE)


def reassign_task(session: Session, task_id: str, new_user_id: int, actor: Actor) -> TaskInfo:
    """A duty officer gives a ready task (e.g. one queued after a disqualification) to
    another active user of the task's role."""
    if actor.role not in REASSIGNERS:
        raise NotAllowed("只有值班人员可以改派任务")
    with incidents.recorded(session, actor), transaction(session):
        h = session.get(HumanTask, str(task_id))
        if h is None:
            raise NotFound("任务不存在")
        if h.state != "ready":
            raise TaskConflict("该任务已完成或已取消")
        loaded = runtime.load(session, h.instance_id, actor)
        runtime.advance(loaded)  # a deadline that passed first wins
        task = loaded.task(h.id)
        if task is None or task.state != TaskState.READY:
            raise TaskConflict("该任务已过期或已被重新处理")
        variable = assignee_variable(task.task_spec)
        if variable is None:
            raise InvalidInput("该任务不是指定承办人的任务，无需改派")
        role = role_for_lane(task.task_spec.lane) or h.role
        user = _eligible(session, new_user_id, role, h)
        previous = h.assignee_id or h.reassign_from
        task.data[variable] = user.id
        h.assignee_id, h.role, h.claimed_by, h.reassign_from = user.id, role, None, None
        if variable == "lawyer_id":  # the consultation's lawyer is who answers it now
            session.execute(update(Consultation)
                            .where(Consultation.instance_id == h.instance_id)
                            .values(lawyer_id=user.id),
                            execution_options={"synchronize_session": False})
        audit.record(session, "reassign", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key,
                     data={"from": previous, "to": user.id, "variable": variable})
        notify(session, user.id, "task_reassigned", link=f"/tasks/{h.id}",
               business_key=h.business_key, task=h.name)
        runtime.save(loaded)
    return TaskInfo.of(h)


def _eligible(session: Session, user_id: int, role: str, h: HumanTask) -> User:
    """The new assignee: an active user of the role (whose institution is active)."""
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    institution = session.get(Institution, user.institution_id) if user and \
        user.institution_id else None
    problem = None
    if user is None or user.role != role:
        problem = "请选择该任务对应角色的人员"
    elif user.status != ACTIVE or (institution is not None and not institution.active):
        problem = "该人员不在岗或已被取消驻场资格"
    elif h.institution_id is not None and user.institution_id != h.institution_id:
        problem = "该任务只能由指定机构的人员处理"
    elif user.id in (h.assignee_id, h.reassign_from):
        problem = "请选择另一位人员"
    if problem:
        raise InvalidInput(problem, fields={"new_user_id": [problem]})
    return user


def candidates(session: Session, task_id: str, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of who may take a queued task: active users with the role of the person it
    was taken from (of the task's institution, if it has one), that person excluded."""
    if actor.role not in REASSIGNERS:
        raise NotAllowed("只有值班人员可以改派任务")
    with read_only(session):
        h = session.get(HumanTask, str(task_id))
        if h is None:
            raise NotFound("任务不存在")
        previous = session.get(User, h.reassign_from or h.assignee_id or 0)
        role = previous.role if previous is not None else h.role
        query = (select(User.id, User.display_name, User.username)
                 .outerjoin(Institution, Institution.id == User.institution_id)
                 .where(User.role == role, User.status == ACTIVE,
                        Institution.active.is_not(False),
                        User.id != (previous.id if previous else 0))
                 .order_by(User.display_name, User.id))
        if h.institution_id is not None:
            query = query.where(User.institution_id == h.institution_id)
        return [(i, name or username) for i, name, username in session.execute(query)]
