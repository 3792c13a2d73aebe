"""Moving assigned work: a disqualified lawyer's open tasks, and a duty officer's reassignment.

A user task names its assignee with `camunda:assignee="${variable}"`. Reassigning writes the
new user id into that variable of the ready task, so the task and every later task that reads
the same variable (e.g. the lawyer's review of a delegated draft) follow the new assignee.
"""
import re

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.consultation import eligibility
from engine.consultation.notice_texts import link, render
from engine.errors import N_, InvalidInput, NotAllowed, NotFound, TaskConflict
from engine.models import Consultation, HumanTask, Referral, User, utcnow
from engine.notifications.outbox import notify as notify_user
from engine.notifications.sanction_notices import active_ids, notify
from engine.people import users
from engine.people.roles import role_for_lane
from engine.statements import process_instance
from engine.uow import read_only, transaction
from engine.workflow import clocks, incidents, runtime, tasks
from engine.workflow.parser import ASSIGNEE
from engine.workflow.tasks import TaskInfo

QUEUE_ROLE = access.REASSIGNMENT_QUEUE_ROLE
QUEUE_PAGE = "/ops/reassign"  # where the queued tasks are, each with its picker
HOLDER = "lawyer_id"  # the variable naming who holds the answer, its clock and its breach
_VARIABLE = re.compile(r"^\$\{\s*([A-Za-z_]\w*)\s*\}$")


def assignee_variable(task_spec) -> str | None:
    """The task data variable named by the task's assignee expression, if it is a plain name."""
    match = _VARIABLE.match((task_spec.extensions.get(ASSIGNEE) or "").strip())
    return match.group(1) if match else None


def queue_tasks_of(session: Session, user_id: int, actor_id: int | None) -> list[str]:
    """Take every open piece of a user's work away from them in the caller's transaction.

    Tasks assigned to them wait in the duty officers' inbox for reassignment; tasks they had
    only claimed (e.g. their institution's referral steps) go back to the role, and the
    institution's other members are told. Citizens' own steps stay theirs. Work assigned to
    them later (a delegated draft coming back for approval) is queued when it is created
    (engine.workflow.projection). Returns the ids of the queued tasks.
    """
    ready = list(session.scalars(select(HumanTask).where(
        HumanTask.state == "ready", HumanTask.role != eligibility.CITIZEN,
        (HumanTask.assignee_id == user_id) | (HumanTask.claimed_by == user_id))))
    queued = []
    for h in ready:
        assigned = h.assignee_id == user_id
        if assigned:
            h.assignee_id, h.role, h.reassign_from = None, QUEUE_ROLE, user_id
            queued.append(h.id)
        elif h.institution_id is not None:
            for member in active_ids(session, h.role, h.institution_id):
                if member != user_id:
                    notify(session, member, "task_released", link=f"/tasks/{h.id}",
                           business_key=h.business_key, task=h.name)
        h.claimed_by = None
        audit.record(session, "task_queued" if assigned else "release", actor_id,
                     instance_id=h.instance_id, task_id=h.id, task_key=h.bpmn_id,
                     business_key=h.business_key, data={"from": user_id})
    if ready:
        # A completion racing with this transaction must fail on the instance's revision
        # check rather than silently finish work that was just taken away.
        session.execute(process_instance.BUMP_REVISIONS,
                        {"ids": sorted({h.instance_id for h in ready})})
    if queued:
        for officer in active_ids(session, QUEUE_ROLE):
            notify(session, officer, "reassignment_needed", link=QUEUE_PAGE, count=len(queued))
    release_referrals(session, user_id, actor_id)
    return queued


HANDLER_GONE = N_("原定承办人已不能承办本委托，承办机构将另行指定承办人与您联系。")


def release_referrals(session: Session, user_id: int, actor_id: int | None) -> None:
    """An accepted offline engagement they were to handle leaves them too: the citizen no
    longer sees their name and is told the institution will name someone else; the
    institution's members are asked to, when they record the agreement (its form refuses a
    handler who is not an active member)."""
    referrals = session.scalars(select(Referral).where(
        Referral.handler_id == user_id, Referral.status == "accepted")).all()
    for referral in referrals:
        referral.handler_id, key = None, str(referral.consultation_id)
        audit.record(session, "referral_handler_released", actor_id,
                     instance_id=referral.instance_id, business_key=key,
                     data={"from": user_id, "referral_id": referral.id})
        waiting = session.scalars(select(HumanTask).where(
            HumanTask.instance_id == referral.instance_id, HumanTask.state == "ready",
            HumanTask.institution_id == referral.institution_id))
        for h in waiting:
            for member in active_ids(session, h.role, h.institution_id):
                if member != user_id:
                    notify(session, member, "handler_released", link=f"/tasks/{h.id}",
                           business_key=key, task=h.name)
        row = session.get(Consultation, referral.consultation_id)
        subject, body = render("referral_update", row.id, row.title, HANDLER_GONE)
        notify_user(session, row.citizen_id, "referral_update", subject, body,
                    link=link(row.id), business_key=key)


def queued(session: Session, actor: Actor) -> list[TaskInfo]:
    """Use case: the tasks waiting for a duty officer to reassign them."""
    access.require(actor, "reassign")
    return tasks.waiting_for_reassignment(session, QUEUE_ROLE)


def _queued(session: Session, task_id: str) -> HumanTask:
    """Only a task waiting in the reassignment queue may be reassigned: any other id, open or
    not, is refused (the diagram's own paths move the rest)."""
    h = session.get(HumanTask, str(task_id))
    if h is None:
        raise NotFound("任务不存在")
    if h.state != "ready":
        raise TaskConflict("该任务已完成或已取消")
    if h.reassign_from is None:
        raise NotAllowed("只能改派待改派队列中的任务")
    return h


def work_of(session: Session, h: HumanTask, task) -> eligibility.Work:
    """The queued task as a piece of work, from its row and the process data."""
    key, data = h.bpmn_id, task.data
    role = role_for_lane(task.task_spec.lane) or h.role
    roles = eligibility.DRAFTER_ROLES if key == "draft_answer" else frozenset({role})
    institution = h.institution_id
    if key in eligibility.DELEGATED_WORK:  # the delegating lawyer's institution, even if
        lawyer = session.get(User, data.get("lawyer_id") or 0)  # they were disqualified
        institution = lawyer.institution_id if lawyer is not None else -1
    consultation_id = _consultation_id(h)
    answered = set()
    if key in eligibility.ANSWER_WORK:
        answered = eligibility.previous_answerers(session, consultation_id)
        answered |= {i for i in data.get("answered_by") or [] if isinstance(i, int)}
    taken_from = {i for i in (h.assignee_id, h.reassign_from) if i is not None}
    if key == "draft_answer":  # a lawyer never drafts for their own approval
        taken_from.add(data.get("lawyer_id"))
    return eligibility.Work(key, roles, consultation_id, institution, frozenset(answered),
                            frozenset(taken_from))


def _consultation_id(h: HumanTask) -> int | None:
    key = h.business_key or ""
    return int(key) if key.isdigit() else None


def _loaded_task(session: Session, h: HumanTask, actor: Actor, advance: bool):
    loaded = runtime.load(session, h.instance_id, actor)
    if advance:
        runtime.advance(loaded)  # a deadline that passed first wins
    task = loaded.task(h.id)
    if task is None or task.state != TaskState.READY:
        raise TaskConflict("该任务已过期或已被重新处理")
    return loaded, task


def reassign_task(session: Session, task_id: str, new_user_id: int, actor: Actor) -> TaskInfo:
    """A duty officer gives a queued task (taken from a disqualified or unavailable person) to
    someone the task's eligibility rule accepts; a new holder of the answer gets a fresh
    answer deadline, and its reminder and breach follow them."""
    access.require(actor, "reassign")
    with incidents.recorded(session, actor), transaction(session):
        access.require_standing(session, actor)
        h = _queued(session, task_id)
        loaded, task = _loaded_task(session, h, actor, advance=True)
        variable = assignee_variable(task.task_spec)
        if variable is None:
            raise InvalidInput("该任务不是指定承办人的任务，无需改派")
        work = work_of(session, h, task)
        user = session.get(User, new_user_id) if isinstance(new_user_id, int) else None
        reason = eligibility.problem(session, work, user)
        if reason:
            raise InvalidInput(reason, fields={"new_user_id": [reason]})
        previous = h.assignee_id or h.reassign_from
        task.data[variable] = user.id
        h.assignee_id, h.claimed_by, h.reassign_from = user.id, None, None
        h.role = role_for_lane(task.task_spec.lane) or user.role
        if variable == HOLDER:  # the consultation's lawyer is who answers it now
            _new_holder(session, task, h, user.id)
        else:  # a deadline on the task itself (e.g. an expert's 24 h) follows its new holder
            clocks.restart_clocks(task, {variable: user.id}, enclosing=False)
        audit.record(session, "reassign", actor.id, instance_id=h.instance_id, task_id=h.id,
                     task_key=h.bpmn_id, business_key=h.business_key,
                     data={"from": previous, "to": user.id, "variable": variable})
        notify(session, user.id, "task_reassigned", link=f"/tasks/{h.id}",
               business_key=h.business_key, task=h.name)
        runtime.save(loaded)
    return TaskInfo.of(h)


def _new_holder(session: Session, task, h: HumanTask, user_id: int) -> None:
    """The answer changes hands: the consultation names the new lawyer, notified now, and the
    stage's clocks (reminder, deadline) start again for them, addressed to them."""
    session.execute(update(Consultation).where(Consultation.instance_id == h.instance_id)
                    .values(lawyer_id=user_id, notified_at=utcnow()),
                    execution_options={"synchronize_session": False})
    clocks.restart_clocks(task, {HOLDER: user_id})


def candidates(session: Session, task_id: str, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of exactly the people reassign_task would accept for a queued task."""
    access.require(actor, "reassign")
    with read_only(session):
        h = _queued(session, task_id)
        _loaded, task = _loaded_task(session, h, actor, advance=False)
        people = eligibility.eligible_people(session, work_of(session, h, task))
        return [(u.id, u.display_name or u.username) for u in people]


# An account an administrator disables loses its open work in the same transaction.
users.ON_DISABLE.append(queue_tasks_of)
