"""Restarting the clocks that guard a task when its work changes hands.

A deadline is a boundary timer in the diagram, on the user task or on a subprocess around
it. SpiffWorkflow evaluates a timer's expression once, when the boundary event starts
waiting, and keeps the due time in the task's internal data; the boundary branch runs on
data copied from the moment the guarded activity began. Both would follow the previous
holder. Restarting evaluates the diagram's own expressions again from now (nothing is
copied into Python) and writes the new holder into the data the boundary branches run on,
so the reminder reaches them and a breach is charged to them.
"""
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.util.task import TaskState


def _splits(task):
    """The boundary-event splits guarding `task`: its own and its enclosing subprocesses'."""
    current = task
    while current is not None:
        parent = current.parent
        if parent is not None and isinstance(parent.task_spec, BoundaryEventSplit):
            yield parent
        if parent is None:
            workflow = current.workflow
            parent_id = getattr(workflow, "parent_task_id", None)
            parent = workflow.top_workflow.get_task_from_id(parent_id) if parent_id else None
        current = parent


def _is_timer(task) -> bool:
    definition = getattr(task.task_spec, "event_definition", None)
    return isinstance(definition, TimerEventDefinition)


def _rearm(boundary) -> None:
    """A fired non-interrupting timer (a reminder) waits again; its finished branch is dropped,
    and the workflow must not keep pointing at a dropped task as the last one it ran."""
    removed = {t.id for t in boundary.reset_branch(None)}
    workflow = boundary.workflow
    if workflow.last_task is not None and workflow.last_task.id in removed:
        workflow.last_task = boundary


def restart_clocks(task, data: dict, enclosing: bool = True) -> int:
    """Start the timers guarding `task` again from now with `data` merged into the data their
    branches will run on; a reminder that already fired is armed again. `enclosing=False`
    restarts only the timers on the task itself, not those of the stage around it (e.g. a
    colleague's draft inside the lawyer's answer stage). Returns how many restarted."""
    restarted = 0
    splits = list(_splits(task))
    own = splits[:1] if splits and task.parent is splits[0] else []
    for split in splits if enclosing else own:
        # Boundary events re-inherit the split's data when they update. A new dict, not an
        # update in place: the split is finished, and a changed data object is what tells the
        # state serializer (engine.workflow.state) not to reuse its JSON or its children's.
        split.data = {**split.data, **data}
        for boundary in [c for c in split.children if _is_timer(c)]:
            interrupting = getattr(boundary.task_spec, "cancel_activity", True)
            if boundary.state == TaskState.WAITING:
                boundary.internal_data.pop("event_value", None)
                boundary.task_spec._update(boundary)  # evaluates the expression from now
            elif boundary.state == TaskState.COMPLETED and not interrupting:
                _rearm(boundary)
            else:
                continue
            restarted += 1
    return restarted
