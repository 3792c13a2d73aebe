"""Loading, advancing and saving one workflow instance inside a use case's transaction."""
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import (
    N_,
    EngineError,
    InstanceFailed,
    Message,
    ScriptLimitExceeded,
    ScriptNotAllowed,
)
from engine.models import ProcessVersion, utcnow
from engine.workflow import live, state
from engine.workflow.limits import StepBudget
from engine.workflow.projection import next_timer_at, project_tasks
from engine.workflow.rows import InstanceRow, insert_row, read_row, write_row
from engine.workflow.script_helpers import ScriptContext, shared
from engine.workflow.scripting import script_engine
from engine.workflow.versions import specs_for, version_of
from engine.workflow.workflows import EngineWorkflow


@dataclass
class Loaded:
    """An instance row with its live workflow and the script context bound to it."""

    row: InstanceRow
    workflow: BpmnWorkflow
    ctx: ScriptContext
    new: bool = False  # started in this transaction: no human_task rows exist yet
    # The instance's ready human_task rows (id -> due_at) as its last save left them, when the
    # live cache knows them; None: read them from the table.
    projected: dict | None = None
    budget: StepBudget = field(default_factory=StepBudget)  # the time and steps it may use

    def task(self, task_id: str):
        try:
            return self.workflow.get_task_from_id(UUID(task_id))
        except (SpiffWorkflowException, ValueError):
            return None


def create(session: Session, version: ProcessVersion, data: dict, actor: Actor,
           business_key: str | None = None, parent_id: int | None = None) -> Loaded:
    """A new instance of `version`, started with `data` and advanced to its first wait."""
    row = insert_row(session, version.id, version.key, business_key, parent_id, actor.id)
    spec, subprocess_specs = specs_for(version)
    ctx, budget = ScriptContext(session, row, actor), StepBudget()
    workflow = EngineWorkflow(spec, subprocess_specs,
                              script_engine=script_engine(shared(), budget, ctx))
    setattr(workflow, _SCRIPTS, (ctx, budget))
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(data)
    loaded = Loaded(row, workflow, ctx, new=True, budget=budget)
    advance(loaded)
    return loaded


def load(session: Session, instance_id: int, actor: Actor,
         row: InstanceRow | None = None) -> Loaded:
    """The instance (`row`: its row, when the caller read it already in this transaction)."""
    row = row or read_row(session, instance_id)
    workflow, projected = live.take(session, row)
    if workflow is None:
        spec, subprocess_specs = specs_for(version_of(session, row.version_id))
        workflow = state.load(row.state, spec, subprocess_specs, None)
    ctx, budget = _scripts_for(workflow, session, row, actor)
    return Loaded(row, workflow, ctx, budget=budget, projected=projected)


_SCRIPTS = "_fw_scripts"  # a workflow's attribute: the context and budget its engine is bound to


def _scripts_for(workflow, session: Session, row: InstanceRow, actor: Actor) -> tuple:
    """Bind the workflow's script engine to this use case: a fresh context and budget, or,
    for a live workflow taken from the cache (exclusively: one use case at a time), the ones
    its engine was built with, pointed at this session, row and actor. The engine's helpers
    are the shared ones (script_helpers.shared), acting for the context it is built with."""
    kept = workflow.__dict__.get(_SCRIPTS)
    if kept is None:
        ctx, budget = ScriptContext(session, row, actor), StepBudget()
        workflow.script_engine = script_engine(shared(), budget, ctx)
        setattr(workflow, _SCRIPTS, (ctx, budget))
        return ctx, budget
    ctx, budget = kept
    ctx.rebind(session, row, actor)
    budget.reset()
    return ctx, budget


def advance(loaded: Loaded) -> None:
    """Fire due timers, then run every automatic task up to the next wait state."""
    with translated_errors(loaded):
        loaded.budget.begin()
        loaded.workflow.refresh_timers()
        loaded.workflow.do_engine_steps(did_complete_task=loaded.budget.task_done)


def advance_if_due(loaded: Loaded) -> None:
    """Advance only when a timer is due. A saved instance rests at a wait state, so without a
    due timer there is nothing to run, and walking the task tree would be wasted work."""
    due = loaded.row.next_timer_at
    if due is not None and due <= utcnow():
        advance(loaded)


def run_task(loaded: Loaded, task) -> None:
    with translated_errors(loaded):
        loaded.budget.begin()
        task.run()
        loaded.workflow.do_engine_steps(did_complete_task=loaded.budget.task_done)


def save(loaded: Loaded, now: datetime | None = None) -> None:
    """Store the state, the status, the next timer, and the human-task index."""
    row, workflow = loaded.row, loaded.workflow
    row.state = state.dump(workflow)
    row.status = "completed" if workflow.is_completed() else "running"
    row.next_timer_at = None if row.status == "completed" else next_timer_at(workflow)
    row.updated_at = now or utcnow()
    # The revision check first: a concurrent save of the same instance waits on the row and
    # fails as a conflict; its writes are sent together, and the driver reports the lost
    # check rather than the projection's collision with the winner's new tasks after it.
    write_row(loaded.ctx.session, row)
    known = {} if loaded.new else loaded.projected
    loaded.projected = project_tasks(loaded.ctx.session, row, workflow, known)
    loaded.new = False
    live.offer(loaded.ctx.session, row, workflow, loaded.projected)


class translated_errors:
    """Turn workflow errors into engine errors naming the element. A helper's own EngineError
    (e.g. InvalidInput for a field) passes through; a script's failure, refusal or overrun
    becomes InstanceFailed / ScriptLimitExceeded carrying the instance's id (None while it is
    being started: nothing exists yet to mark as an incident)."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        instance_id = None if self.loaded.new else self.loaded.row.id
        if isinstance(exc, ScriptLimitExceeded):  # raised by the step budget between tasks
            raise ScriptLimitExceeded(Message("{message}。{outcome}", message=exc.message,
                                              outcome=_outcome(instance_id)),
                                      detail=exc.detail, instance_id=instance_id) from exc
        if exc is None or not isinstance(exc, SpiffWorkflowException):
            return False
        cause = _engine_cause(exc)
        if cause is not None and not isinstance(cause, InstanceFailed | ScriptNotAllowed):
            raise cause
        where = _element(exc)
        if isinstance(cause, ScriptLimitExceeded):
            raise ScriptLimitExceeded(
                Message("流程步骤“{where}”超出运行限制：{cause}。{outcome}", where=where,
                        cause=cause.message, outcome=_outcome(instance_id)),
                detail=f"{where}: {cause.detail}", instance_id=instance_id) from exc
        raise InstanceFailed(Message("流程步骤“{where}”执行失败。{outcome}", where=where,
                                     outcome=_outcome(instance_id)),
                             detail=_describe(exc), instance_id=instance_id) from exc


def _engine_cause(exc: BaseException) -> EngineError | None:
    cause = exc
    while cause is not None:
        if isinstance(cause, EngineError):
            return cause
        cause = cause.__cause__ or cause.__context__
    return None


def _outcome(instance_id: int | None) -> str:
    if instance_id is None:
        return N_("流程未能启动，未保存任何内容。")
    return N_("该流程实例已转为故障，等待管理员处理。")


def _element(exc: SpiffWorkflowException) -> str:
    task_spec = getattr(exc, "task_spec", None)
    return getattr(task_spec, "bpmn_id", None) or getattr(task_spec, "name", "") or "?"


def _describe(exc: SpiffWorkflowException) -> str:
    notes = " ".join(getattr(exc, "__notes__", []))
    return f"{_element(exc)}: {exc} {notes}".strip()
