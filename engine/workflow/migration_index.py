"""What migration reads from the human-task index (where instances wait) and keeps in it.

A migrated or rolled-back instance keeps its human_task rows: SpiffWorkflow keeps the ids of
the tasks it resets, so the projection finds them again; their names follow the new diagram.
A task that comes back with a new id inherits the assignee and claim of the one it replaces.
"""
from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from engine.models import HumanTask, ProcessInstance
from engine.uow import read_only

_SYNC = {"synchronize_session": False}


@dataclass
class WaitGroup:
    """Running instances of a version that wait at one place.

    `kind` is "user_task" (key: the task's BPMN id), "timer" (nothing else to do but wait for
    a timer) or "other" (e.g. a message or a child process)."""

    kind: str
    key: str
    name: str
    instance_ids: list[int] = field(default_factory=list)


def instances_by_wait_state(session: Session, version_id: int) -> list[WaitGroup]:
    """Read from the index only: no workflow is loaded. An instance waiting at two user tasks
    (parallel branches) is in both groups."""
    with read_only(session):
        running = dict(session.execute(
            select(ProcessInstance.id, ProcessInstance.next_timer_at)
            .where(ProcessInstance.version_id == version_id,
                   ProcessInstance.status == "running")
            .order_by(ProcessInstance.id)).all())
        tasks = session.execute(
            select(HumanTask.bpmn_id, HumanTask.name, HumanTask.instance_id)
            .join(ProcessInstance, ProcessInstance.id == HumanTask.instance_id)
            .where(ProcessInstance.version_id == version_id,
                   ProcessInstance.status == "running", HumanTask.state == "ready")
            .order_by(HumanTask.bpmn_id, HumanTask.instance_id)).all()
    groups: dict[tuple[str, str], WaitGroup] = {}
    for bpmn_id, name, instance_id in tasks:
        group = groups.setdefault(("user_task", bpmn_id), WaitGroup("user_task", bpmn_id, name))
        if instance_id not in group.instance_ids:
            group.instance_ids.append(instance_id)
    at_tasks = {i for g in groups.values() for i in g.instance_ids}
    for instance_id, timer_at in running.items():
        if instance_id not in at_tasks:
            kind, name = ("timer", "等待定时器") if timer_at else ("other", "其他等待")
            groups.setdefault((kind, kind), WaitGroup(kind, kind, name)).instance_ids.append(
                instance_id)
    return list(groups.values())


def ready_rows(session: Session, instance_id: int) -> dict[str, tuple]:
    """{task id: (bpmn_id, assignee_id, claimed_by)} of the instance's ready rows."""
    found = session.execute(
        select(HumanTask.id, HumanTask.bpmn_id, HumanTask.assignee_id, HumanTask.claimed_by)
        .where(HumanTask.instance_id == instance_id, HumanTask.state == "ready"))
    return {r.id: (r.bpmn_id, r.assignee_id, r.claimed_by) for r in found}


def refresh_rows(session: Session, instance_id: int, workflow) -> None:
    """Before the projection runs: rows of tasks that are ready in `workflow` take its names,
    and a row finished since the snapshot a rollback restores is ready again."""
    for task in workflow.get_tasks(state=TaskState.READY, manual=True):
        spec = task.task_spec
        session.execute(
            update(HumanTask)
            .where(HumanTask.id == str(task.id), HumanTask.instance_id == instance_id)
            .values(bpmn_id=spec.bpmn_id, name=spec.bpmn_name or spec.bpmn_id, state="ready",
                    completed_at=None, completed_by=None), execution_options=_SYNC)


def carry_over(session: Session, instance_id: int, before: dict[str, tuple]) -> None:
    """After the projection: a new row for a task that replaced a ready one (same BPMN id, new
    task id) keeps that one's assignee and claim."""
    now = ready_rows(session, instance_id)
    replaced = {bpmn_id: (assignee, claim) for task_id, (bpmn_id, assignee, claim)
                in before.items() if task_id not in now}
    for task_id, (bpmn_id, _, _) in now.items():
        if task_id not in before and bpmn_id in replaced:
            assignee, claim = replaced.pop(bpmn_id)
            session.execute(update(HumanTask).where(HumanTask.id == task_id)
                            .values(assignee_id=assignee, claimed_by=claim),
                            execution_options=_SYNC)
