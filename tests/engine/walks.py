"""Checks that the engine's task-tree walk agrees with SpiffWorkflow's own iterators."""
from SpiffWorkflow.bpmn.util.task import BpmnTaskIterator
from SpiffWorkflow.util.task import TaskIterator, TaskState

from engine.workflow.workflows import EngineSubWorkflow, EngineWorkflow, walk

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
