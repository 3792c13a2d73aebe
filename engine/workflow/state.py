"""Workflow state (de)serialization that leaves the specs out.

SpiffWorkflow's serializer writes the full spec and every subprocess spec into each workflow
dump. Specs belong to a process version, so an instance row stores only its tasks and data,
compressed; the specs come from the per-version cache when the instance is loaded.
"""
import zlib
from contextvars import ContextVar
from types import ModuleType
from uuid import UUID

import orjson
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnSubWorkflowConverter,
    BpmnWorkflowConverter,
    TaskConverter,
    WorkflowConverter,
)
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.camunda.serializer.config import CAMUNDA_CONFIG
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from engine.workflow.workflows import EngineSubWorkflow, EngineWorkflow

FORMAT = "fw1"


_REUSE = "_fw_finished_json"  # a workflow's attribute: task id -> (stamp, JSON fragment)
# Set while `dump` converts (per thread and task): REGISTRY.convert elsewhere gives plain dicts.
_reusing: ContextVar[bool] = ContextVar("reusing_finished_tasks", default=False)


def _stamp(task) -> tuple:
    parent = task.parent  # a task's data is stored as its delta against the parent's
    return (task.state, task.last_state_change, task.task_spec.name, tuple(task._children),
            task.triggered, id(task.data),
            (parent.state, id(parent.data)) if parent is not None else None)


_PREDICTED = TaskState.PREDICTED_MASK | TaskState.FUTURE


def _settled(task) -> bool:
    """A task whose JSON only changes with what the stamp covers: a finished one, or one not
    reached yet (predicted or future) that holds no data of its own under a finished parent
    or not reached either and empty (its stored delta is then the list of the parent's keys,
    fixed while the parent stays so; the stamp holds the parent's state and data object)."""
    if task.state & TaskState.FINISHED_MASK:
        return True
    parent = task.parent
    if not (task.state & _PREDICTED and not task.data and not task.internal_data
            and parent is not None):
        return False
    return bool(parent.state & TaskState.FINISHED_MASK
                or (parent.state & _PREDICTED and not parent.data))


class ReusingTasks:
    """Serializes a settled task (`_settled`) once and reuses its JSON while the workflow lives
    (in the live cache): most of a long-running instance's tasks are finished or predicted.
    The stamp (state, time of its last change, spec, children, its own and its parent's data
    objects, the parent's state) catches whatever could still touch one: a reset, a
    migration, data replaced. Data is never changed in place once a task is finished:
    SpiffWorkflow copies it forward to the next task, and the engine writes only ready tasks'
    data (engine.workflow.clocks replaces a finished split's data rather than update it)."""

    def mapping_to_dict(self, mapping, **kwargs):
        if not _reusing.get() or not mapping or not isinstance(next(iter(mapping.values())), Task):
            return super().mapping_to_dict(mapping, **kwargs)
        converted = {str(k): self._task(t) for k, t in mapping.items()}
        workflow = next(iter(mapping.values())).workflow
        kept = workflow.__dict__.get(_REUSE)
        if kept is not None and mapping is workflow.tasks and len(kept) > len(mapping):
            for gone in kept.keys() - mapping.keys():  # tasks the workflow dropped (a branch
                del kept[gone]                         # not taken, a loop's predictions)
        return converted

    def _task(self, task):
        if not _settled(task):
            return self.registry.convert(task)
        kept = task.workflow.__dict__.setdefault(_REUSE, {})
        stamp, found = _stamp(task), kept.get(task.id)
        if found is not None and found[0] == stamp:
            return found[1]
        # orjson's bytes keep the buffer it wrote into (4 KB for a task's few hundred bytes):
        # a copy of the exact size is what stays in the live cache
        fragment = orjson.Fragment(bytes(memoryview(orjson.dumps(
            self.registry.convert(task), option=orjson.OPT_NON_STR_KEYS))))
        kept[task.id] = (stamp, fragment)
        return fragment


def forget_reused(workflow) -> None:
    """Serialize every task of `workflow` (and its subprocesses) afresh at its next save."""
    for wf in (workflow, *getattr(workflow, "subprocesses", {}).values()):
        wf.__dict__.pop(_REUSE, None)


class SpeclessWorkflowConverter(ReusingTasks, BpmnWorkflowConverter):
    """Converts a top-level workflow without its specs; restoring needs them passed in."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct, spec=None, subprocess_specs=None):
        workflow = self.target_class(spec, subprocess_specs, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


_PRIMITIVE = (str, int, float, bool, type(None))


def _jsonable(registry, value):
    """`value` with every non-JSON type converted by the registry (dates, UUIDs ...); plain
    values, which task data mostly holds, pass without the registry's per-value dispatch."""
    if isinstance(value, _PRIMITIVE):
        return value
    if type(value) is dict:
        return {k: _jsonable(registry, v) for k, v in value.items()
                if not callable(v) and not isinstance(v, ModuleType)}
    if type(value) is list:
        return [_jsonable(registry, v) for v in value]
    return registry.convert(value)


class TaskDataConverter(TaskConverter):
    """Converts task data to JSON types itself; the stock converter leaves that to a JSON
    encoder's fallback, which orjson would bypass for the types it knows (dates, UUIDs)."""

    def to_dict(self, task):
        dct = super().to_dict(task)
        dct["data"] = _jsonable(self.registry, dct["data"])
        if dct["delta"]:
            dct["delta"]["updates"] = _jsonable(self.registry, dct["delta"]["updates"])
        return dct


_config = dict(CAMUNDA_CONFIG)
_config[BpmnWorkflow] = SpeclessWorkflowConverter
_config[Task] = TaskDataConverter
REGISTRY = BpmnWorkflowSerializer.configure(_config)
# The engine's workflow classes are stored under the library's names, so states written before
# they existed load into them, and every state loads into them.
class SubWorkflowConverter(ReusingTasks, BpmnSubWorkflowConverter):
    """A subprocess's tasks, finished ones reused like the top level's."""


SpeclessWorkflowConverter(EngineWorkflow, REGISTRY, typename="BpmnWorkflow")
SubWorkflowConverter(EngineSubWorkflow, REGISTRY, typename="BpmnSubWorkflow")


def dump(workflow: BpmnWorkflow, reuse: bool = True) -> bytes:
    """The instance's state: tasks and data only, JSON compressed with zlib (`reuse=False`:
    convert every task afresh, for checking that reuse changes nothing).

    The registry converts everything, task data included, to plain JSON types (dates and
    UUIDs as the typed dicts it restores), so orjson writes it without a fallback."""
    token = _reusing.set(reuse)
    try:
        dct = REGISTRY.convert(workflow)
    finally:
        _reusing.reset(token)
    dct["format"] = FORMAT
    return zlib.compress(orjson.dumps(dct, option=orjson.OPT_NON_STR_KEYS), 1)


def load(blob: bytes, spec, subprocess_specs, script_engine,
         reuse: bool = True) -> BpmnWorkflow:
    """Rebuild a workflow from `dump` output and the version's specs.

    The settled tasks' stored JSON is kept for the next `dump`, as if the workflow had been
    live since (ReusingTasks): a workflow loaded from its row (another worker saved it, the
    timer worker fires it, the live cache let it go) then converts only the tasks that move
    (`reuse=False`: it converts all of them, as a workflow never saved)."""
    dct = orjson.loads(zlib.decompress(blob))
    if dct.pop("format", None) != FORMAT:
        raise ValueError("unknown instance state format")
    stored = _stored_tasks(dct) if reuse else {}  # taken before restoring changes anything
    workflow = REGISTRY.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    if reuse:
        _keep_stored(workflow, stored)
    return workflow


def _keep_stored(workflow: BpmnWorkflow, stored: dict[str, bytes]) -> None:
    for wf in (workflow, *workflow.subprocesses.values()):
        kept = wf.__dict__.setdefault(_REUSE, {})
        for task_id, task in wf.tasks.items():
            if _settled(task):
                kept[task_id] = (_stamp(task), orjson.Fragment(stored[str(task_id)]))


def _stored_tasks(dct: dict) -> dict[str, bytes]:
    """Each task's JSON as stored, by task id, the subprocesses' included."""
    found = {}
    for tasks in (dct["tasks"], *(sub["tasks"] for sub in dct["subprocesses"].values())):
        found.update((k, orjson.dumps(t, option=orjson.OPT_NON_STR_KEYS))
                     for k, t in tasks.items())
    return found
