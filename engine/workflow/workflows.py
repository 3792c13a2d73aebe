"""The engine's workflow classes: SpiffWorkflow's own, with a faster walk of the task tree.

SpiffWorkflow walks the task tree after every task it completes (looking for waiting tasks)
and on every round of `do_engine_steps` (looking for ready ones), through a general iterator
(filters, end-at specs, breadth-first mode, depth bookkeeping per task). For the queries the
library and the engine make most — tasks in a state, optionally manual ones — these classes
use a plain depth-first walk that visits the same tasks in the same order; every other query
goes to the library's iterator. `tests/engine/test_workflows.py` checks the two agree.
"""
from collections.abc import Iterator

from SpiffWorkflow.bpmn.util.subworkflow import BpmnSubWorkflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

MAX_DEPTH = 1000  # the library iterator's default
_SIMPLE_QUERY = frozenset({"state", "manual"})


def _floor(state: int) -> int:
    """The least state a task must have for the walk to go below it (as the library's)."""
    if state & TaskState.PREDICTED_MASK:
        return TaskState.MAYBE
    if state & TaskState.DEFINITE_MASK:
        return TaskState.FUTURE
    return TaskState.COMPLETED


def walk(root: Task, state: int, manual: bool | None = None,
         subprocesses: dict | None = None) -> Iterator[Task]:
    """Tasks from `root` down whose state is in `state` (and whose spec's `manual` matches),
    depth first, children in order; into called subprocesses when `subprocesses` (task id →
    subworkflow) is given. A task's children are read when the walk reaches it, as the
    library does, so a caller may change the tree below the task it was just given."""
    floor = _floor(state)
    pending = [(root, 0)]
    while pending:
        task, depth = pending.pop()
        called = subprocesses.get(task.id) if subprocesses is not None else None
        if ((task._children or called is not None) and (task.state >= floor or called is not None)
                and depth < MAX_DEPTH):
            below = task.children
            # Like the library: a finished call is not searched for unfinished tasks.
            if called is not None and not (task.state >= TaskState.FINISHED_MASK
                                           and state <= TaskState.FINISHED_MASK):
                below = [called.task_tree, *below]
            pending.extend((child, depth + 1) for child in reversed(below))
        if task.state & state and (manual is None or task.task_spec.manual == manual):
            yield task


def _encloses(workflow, sub) -> bool | None:
    """Whether `sub` is called from `workflow`'s tree, directly or through other subprocesses
    (None when a calling task is gone: the walk decides)."""
    top = workflow.top_workflow
    while True:
        caller = top.get_task_from_id(sub.parent_task_id)
        if caller is None:
            return None
        if caller.workflow is workflow:
            return True
        if caller.workflow is top:
            return False
        sub = caller.workflow


def _reached(workflow, task: Task) -> bool:
    """Whether a walk of READY tasks from `workflow`'s root gets to `task`: every task above
    it, up through the calling tasks of the subprocesses it is in, is one the walk goes below,
    within the walk's depth."""
    top, floor = workflow.top_workflow, _floor(TaskState.READY)
    subprocesses, depth = top.subprocesses, 0
    while task.workflow is not workflow or task.parent is not None:
        parent = task.parent
        if parent is None:  # the root of a subprocess: the walk enters it from its caller
            parent = top.get_task_from_id(task.workflow.parent_task_id)
            if parent.state >= TaskState.FINISHED_MASK:  # as the walk: a finished call is
                return False                             # not searched for ready tasks
        elif subprocesses.get(parent.id) is None and parent.state < floor:
            return False
        depth += 1
        task = parent
    return depth <= MAX_DEPTH


class _FastWalk:
    """Routes simple task queries and the waiting-task refresh through `walk`."""

    def get_tasks_iterator(self, first_task=None, **kwargs):
        if kwargs.keys() <= _SIMPLE_QUERY and kwargs.get("state", 0) is not None:
            state, manual = kwargs.get("state", TaskState.ANY_MASK), kwargs.get("manual")
            if first_task is None and state == TaskState.READY:
                lone = self._lone_ready()
                if lone is not None:
                    return iter([t for t in lone if manual is None or t.task_spec.manual == manual])
            return walk(first_task or self.task_tree, state, manual, self.top_workflow.subprocesses)
        return super().get_tasks_iterator(first_task, **kwargs)

    def _lone_ready(self) -> list[Task] | None:
        """The ready tasks a walk would find, without walking, when there is at most one
        (then order cannot matter): after each step SpiffWorkflow looks for ready tasks, in
        this workflow and in each active subprocess, and a waiting instance mostly has one,
        its user task. None when a walk is needed: several ready tasks below this workflow
        (its own and its subprocesses'), or a subprocess whose calling task is gone."""
        top = self.top_workflow
        below = [self]
        for sub in top.subprocesses.values():
            if sub is not self:
                encloses = _encloses(self, sub)
                if encloses is None:
                    return None
                if encloses:
                    below.append(sub)
        ready = [t for wf in below for t in wf.tasks.values() if t.state == TaskState.READY]
        if len(ready) > 1:
            return None
        if ready and not _reached(self, ready[0]):
            return []
        return ready

    def update_waiting_tasks(self) -> None:
        # Called after every completed task. Most of the time at most one task waits (a
        # deadline), and then the order of the walk cannot matter: find it without walking.
        waiting = [t for t in self.tasks.values() if t.state == TaskState.WAITING]
        if len(waiting) > 1:  # in the library's order: this workflow's own tree, depth first
            waiting = walk(self.task_tree, TaskState.WAITING)
        for task in waiting:
            task.task_spec._update(task)


class EngineSubWorkflow(_FastWalk, BpmnSubWorkflow):
    """An embedded or called subprocess of an engine workflow."""


class EngineWorkflow(_FastWalk, BpmnWorkflow):
    """A process instance's workflow."""

    def create_subprocess(self, my_task, spec_name):
        subprocess = EngineSubWorkflow(self.subprocess_specs[spec_name],
                                       parent_task_id=my_task.id, top_workflow=self)
        self.subprocesses[my_task.id] = subprocess
        return subprocess
