"""Moving one workflow onto another version's specs: what changes, whether it may move, moving it.

SpiffWorkflow's diff utilities align the old spec's tasks with the new spec's (by BPMN id, then
by structure); per workflow they list the tasks whose spec was changed or removed.
`migrate_workflow` re-points every aligned task at its new spec and resets the READY and
WAITING tasks, whose children are then predicted from the new spec.

The rule for when an instance may move. The library's documentation refuses whenever a
changed or removed task has COMPLETED or STARTED, and says itself that this is too strict
("correcting a typo in a completed task shouldn't block" a migration). We refuse when

- a task whose spec was **removed** has run, runs or waits (any state but the predicted
  FUTURE/LIKELY/MAYBE): it would be left in the instance without a spec;
- a **COMPLETED** task changed in anything but the attributes that only matter while a task
  runs (`RUN_TIME`: its name, documentation, lane, form, extensions, scripts, data mappings).
  The past ran with the old definition and a loop that comes back creates the task from the
  new spec, so those changes are harmless; a changed flow out of or into it (`outputs`,
  `inputs`), a changed type, condition or event is not: the tokens after it were placed by
  the old flows, and the instance would skip the new steps or reach ones it should not;
- a **STARTED** task (a subprocess or call activity in progress) changed in anything but its
  name or documentation (`COSMETIC`): its run is half done;
- a subprocess of the instance has no spec in the new version.

READY and WAITING tasks may change freely: they are reset and re-predicted from the new spec
(a waiting timer keeps its due time). Finally `apply` checks the result: every task must
belong to the new specs and the state must survive a save and reload, or the move is refused.
"""
from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from engine.errors import MigrationRefused
from engine.workflow import state

PREDICTED = TaskState.FUTURE | TaskState.LIKELY | TaskState.MAYBE
RESET = TaskState.READY | TaskState.WAITING
COSMETIC = frozenset({"bpmn_name", "description", "documentation"})
RUN_TIME = COSMETIC | {"lane", "form", "extensions", "script", "prescript", "postscript",
                       "manual", "lookahead", "data_input_associations",
                       "data_output_associations", "io_specification"}


@dataclass(frozen=True)
class Element:
    """A BPMN element of a process spec, as the diff shows it."""

    id: str
    name: str
    kind: str
    changes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProcessDiff:
    """Added, removed and changed elements of one process (the top one or a subprocess)."""

    process_id: str
    added: list[Element]
    removed: list[Element]
    changed: list[Element]


@dataclass(frozen=True)
class TaskNote:
    """A task of one instance that a migration resets or removes, and what changed in it."""

    task_id: str
    bpmn_id: str
    name: str
    state: str
    changes: tuple[str, ...] = ()


@dataclass
class Plan:
    """What migrating one workflow would do; `reason` is empty when it may migrate."""

    reason: str
    reset: list[TaskNote]
    removed: list[TaskNote]
    steps: list[tuple] = field(default_factory=list)  # (workflow, WorkflowDiff, new spec)

    @property
    def can_migrate(self) -> bool:
        return not self.reason


class SpecDiffs:
    """SpecDiffs computed once per pair of specs, shared by every instance of a version pair.

    `diff_workflow` builds a new SpecDiff for each workflow; the specs of a version are cached
    objects, so one diff per pair serves a whole migration.
    """

    def __init__(self, registry=state.REGISTRY):
        self._registry = registry
        self._diffs: dict[tuple[int, int], tuple] = {}

    def get(self, old, new) -> SpecDiff:
        key = (id(old), id(new))
        if key not in self._diffs:
            self._diffs[key] = (old, new, SpecDiff(self._registry, old, new))
        return self._diffs[key][2]


def _element(spec, changes=()) -> Element:
    return Element(spec.bpmn_id, spec.bpmn_name or "", type(spec).__name__, tuple(changes))


def _visible(specs) -> list:
    return sorted((s for s in specs if s.bpmn_id), key=lambda s: s.bpmn_id)


def process_diff(process_id: str, old, new, diffs: SpecDiffs) -> ProcessDiff:
    """The elements of one process that were added, removed or changed (either spec may be None)."""
    if old is None or new is None:
        present = _visible((old or new).task_specs.values())
        elements = [_element(s) for s in present]
        return ProcessDiff(process_id, elements if old is None else [],
                           elements if new is None else [], [])
    spec_diff = diffs.get(old, new)
    changed = [_element(spec_diff.alignment[s], spec_diff.changed[s])  # as it is now
               for s in _visible(spec_diff.changed)]
    return ProcessDiff(process_id, [_element(s) for s in _visible(spec_diff.added)],
                       [_element(s) for s in _visible(spec_diff.removed)], changed)


def diff_specs(old: tuple, new: tuple, diffs: SpecDiffs) -> list[ProcessDiff]:
    """Two (spec, subprocess specs) pairs compared: the top process first, then every
    subprocess or called process either side has."""
    (old_spec, old_deps), (new_spec, new_deps) = old, new
    processes = [process_diff(old_spec.name, old_spec, new_spec, diffs)]
    for name in sorted(set(old_deps) | set(new_deps)):
        processes.append(process_diff(name, old_deps.get(name), new_deps.get(name), diffs))
    return processes


def _note(task, changes=()) -> TaskNote:
    spec = task.task_spec
    return TaskNote(str(task.id), spec.bpmn_id or spec.name, spec.bpmn_name or "",
                    TaskState.get_name(task.state), tuple(changes))


def _label(task) -> str:
    spec = task.task_spec
    name = f"（{spec.bpmn_name}）" if spec.bpmn_name else ""
    return f"任务 {spec.bpmn_id or spec.name}{name}"


def refusals(wf_diff: WorkflowDiff, spec_diff: SpecDiff) -> list[str]:
    """Why this workflow may not take the new spec, per the rule in the module docstring."""
    found = []
    for task in wf_diff.removed:
        if not task.has_state(PREDICTED):
            found.append(f"{_label(task)}处于 {TaskState.get_name(task.state)} 状态，"
                         "但新版本已删除它")
    for task in wf_diff.changed:
        if task.has_state(TaskState.COMPLETED):
            allowed, done = RUN_TIME, "已完成"
        elif task.has_state(TaskState.STARTED):
            allowed, done = COSMETIC, "正在进行"
        else:
            continue
        structural = sorted(set(spec_diff.changed[task.task_spec]) - allowed)
        if structural:
            found.append(f"{_label(task)}{done}，但新版本改变了它的 {', '.join(structural)}")
    return list(dict.fromkeys(found))


def plan(workflow: BpmnWorkflow, new_spec, new_deps: dict, diffs: SpecDiffs) -> Plan:
    """Decide whether `workflow` may move to `new_spec`, and which tasks it would touch."""
    parts = [(workflow, new_spec)]
    parts += [(sp, new_deps.get(sp.spec.name)) for sp in workflow.subprocesses.values()]
    reasons, reset, removed, steps = [], [], [], []
    for wf, spec in parts:
        if spec is None:
            reasons.append(f"子流程 {wf.spec.name} 在新版本中不存在")
            continue
        spec_diff = diffs.get(wf.spec, spec)
        wf_diff = WorkflowDiff(wf, spec_diff)
        steps.append((wf, wf_diff, spec))
        reasons += refusals(wf_diff, spec_diff)
        removed += [_note(t) for t in wf_diff.removed]
        reset += [_note(t, spec_diff.changed.get(t.task_spec, ()))
                  for t in wf.get_tasks(state=RESET, skip_subprocesses=True)
                  if t.task_spec.bpmn_id]
    return Plan("；".join(reasons), reset, removed, steps)


def apply(migration: Plan, workflow: BpmnWorkflow, new_spec, new_deps: dict) -> None:
    """Move `workflow` onto the new specs in place; raise MigrationRefused if the result is
    unsound. A waiting timer keeps the due time it had: a new diagram does not restart it."""
    if not migration.can_migrate:
        raise MigrationRefused(migration.reason)
    state.forget_reused(workflow)  # tasks re-pointed at new specs serialize afresh
    due = {t.id: t.internal_data["event_value"] for t in _timers(workflow)
           if "event_value" in t.internal_data}
    for wf, wf_diff, spec in migration.steps:
        migrate_workflow(wf_diff, wf, spec)
    workflow.subprocess_specs = new_deps
    for task in _timers(workflow):
        if task.id in due:
            task.internal_data["event_value"] = due[task.id]
    _check(workflow, new_spec, new_deps)


def _timers(workflow: BpmnWorkflow) -> list:
    return [t for t in workflow.get_tasks(state=TaskState.WAITING)
            if isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition)]


def _check(workflow: BpmnWorkflow, new_spec, new_deps: dict) -> None:
    for task in workflow.get_tasks():
        if task.workflow.spec.task_specs.get(task.task_spec.name) is not task.task_spec:
            raise MigrationRefused(f"{_label(task)}在新版本中没有对应的元素")
    try:
        state.load(state.dump(workflow), new_spec, new_deps, workflow.script_engine)
    except Exception as exc:  # whatever fails here would fail the next load
        raise MigrationRefused(f"迁移后的状态无法在新版本下重新加载：{exc}") from exc
