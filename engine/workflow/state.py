"""Workflow state (de)serialization that leaves the specs out.

SpiffWorkflow's serializer writes the full spec and every subprocess spec into each workflow
dump. Specs belong to a process version, so an instance row stores only its tasks and data,
compressed; the specs come from the per-version cache when the instance is loaded.
"""
import zlib
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

from engine.workflow.workflows import EngineSubWorkflow, EngineWorkflow

FORMAT = "fw1"


class SpeclessWorkflowConverter(BpmnWorkflowConverter):
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
SpeclessWorkflowConverter(EngineWorkflow, REGISTRY, typename="BpmnWorkflow")
BpmnSubWorkflowConverter(EngineSubWorkflow, REGISTRY, typename="BpmnSubWorkflow")


def dump(workflow: BpmnWorkflow) -> bytes:
    """The instance's state: tasks and data only, JSON compressed with zlib.

    The registry converts everything, task data included, to plain JSON types (dates and
    UUIDs as the typed dicts it restores), so orjson writes it without a fallback."""
    dct = REGISTRY.convert(workflow)
    dct["format"] = FORMAT
    return zlib.compress(orjson.dumps(dct, option=orjson.OPT_NON_STR_KEYS), 1)


def load(blob: bytes, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
    """Rebuild a workflow from `dump` output and the version's specs."""
    dct = orjson.loads(zlib.decompress(blob))
    if dct.pop("format", None) != FORMAT:
        raise ValueError("unknown instance state format")
    workflow = REGISTRY.restore(dct, spec=spec, subprocess_specs=subprocess_specs)
    workflow.script_engine = script_engine
    return workflow
