"""Checks that the engine's task-tree walk agrees with SpiffWorkflow's own iterators."""
from collections import Counter

from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.workflow.workflows import EngineSubWorkflow, EngineWorkflow, _FastWalk, walk

STATES = (TaskState.READY, TaskState.WAITING, TaskState.READY | TaskState.WAITING,
          TaskState.STARTED, TaskState.COMPLETED, TaskState.CANCELLED, TaskState.FINISHED_MASK,
          TaskState.PREDICTED_MASK, TaskState.DEFINITE_MASK, TaskState.NOT_FINISHED_MASK,
          TaskState.ANY_MASK)


def assert_walks_agree(workflow) -> None:
    """Every state query, with and without `manual`, on the workflow and each subprocess,
    returns the same tasks in the same order as the library's iterators."""
    assert isinstance(workflow, EngineWorkflow)  # so the engine's walk is what is compared
    assert all(isinstance(sub, EngineSubWorkflow) for sub in workflow.subprocesses.values())
    for wf in (workflow, *workflow.subprocesses.values()):
        for state in STATES:
            for manual in (None, True, False):
                fast = [t.id for t in wf.get_tasks(state=state, manual=manual)]
                slow = [t.id for t in BpmnTaskIterator(wf.task_tree, state=state,
                                                       manual=manual)]
                assert fast == slow, (wf, state, manual)
        waiting = [t.id for t in walk(wf.task_tree, TaskState.WAITING)]
        assert waiting == [t.id for t in TaskIterator(wf.task_tree, state=TaskState.WAITING)]
        # update_waiting_tasks finds a lone waiting task without the walk: the same task
        assert set(waiting) == {t.id for t in wf.tasks.values() if t.state == TaskState.WAITING}


def check_every_lone_ready(monkeypatch) -> list[int]:
    """From now on, each time a workflow finds its ready tasks without walking (also in the
    middle of `do_engine_steps`, between the steps of a use case), the library's iterator is
    asked too and must agree. Returns the count of checks made, in all and where the
    workflow had subprocesses."""
    found = _FastWalk._lone_ready
    checked = Counter()

    def compared(self):
        fast = found(self)
        if fast is not None:
            slow = list(BpmnTaskIterator(self.task_tree, state=TaskState.READY))
            assert [t.id for t in fast] == [t.id for t in slow], self
            checked["all"] += 1
            checked["with subprocesses"] += bool(self.top_workflow.subprocesses)
        return fast
    monkeypatch.setattr(_FastWalk, "_lone_ready", compared)
    return checked
