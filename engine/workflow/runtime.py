"""Loading, advancing and saving one workflow instance inside a use case's transaction."""
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import EngineError, InstanceFailed
from engine.models import ProcessVersion, utcnow
from engine.workflow import live, state
from engine.workflow.projection import next_timer_at, project_tasks
from engine.workflow.rows import InstanceRow, insert_row, read_row, write_row
from engine.workflow.script_helpers import ScriptContext, bind
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

    def task(self, task_id: str):
        try:
            return self.workflow.get_task_from_id(UUID(task_id))
        except (SpiffWorkflowException, ValueError):
            return None


def create(session: Session, version: ProcessVersion, data: dict, actor: Actor,
           business_key: str | None = None, parent_id: int | None = None) -> Loaded:
    """A new instance of `version`, started with `data` and advanced to its first wait."""
    row = insert_row(session, version.id, version.key, business_key, parent_id, actor.id)
    ctx = ScriptContext(session, row, actor)
    spec, subprocess_specs = specs_for(version)
    workflow = EngineWorkflow(spec, subprocess_specs, script_engine=script_engine(bind(ctx)))
    for task in workflow.get_tasks(state=TaskState.READY):
        task.data.update(data)
    loaded = Loaded(row, workflow, ctx, new=True)
    advance(loaded)
    return loaded


def load(session: Session, instance_id: int, actor: Actor) -> Loaded:
    row = read_row(session, instance_id)
    ctx = ScriptContext(session, row, actor)
    engine = script_engine(bind(ctx))
    workflow = live.take(session, row)
    if workflow is None:
        spec, subprocess_specs = specs_for(version_of(session, row.version_id))
        workflow = state.load(row.state, spec, subprocess_specs, engine)
    else:
        workflow.script_engine = engine
    return Loaded(row, workflow, ctx)


def advance(loaded: Loaded) -> None:
    """Fire due timers, then run every automatic task up to the next wait state."""
    with translated_errors():
        loaded.workflow.refresh_timers()
        loaded.workflow.do_engine_steps()


def advance_if_due(loaded: Loaded) -> None:
    """Advance only when a timer is due. A saved instance rests at a wait state, so without a
    due timer there is nothing to run, and walking the task tree would be wasted work."""
    due = loaded.row.next_timer_at
    if due is not None and due <= utcnow():
        advance(loaded)


def run_task(loaded: Loaded, task) -> None:
    with translated_errors():
        task.run()
        loaded.workflow.do_engine_steps()


def save(loaded: Loaded, now: datetime | None = None) -> None:
    """Store the state, the status, the next timer, and the human-task index."""
    row, workflow = loaded.row, loaded.workflow
    row.state = state.dump(workflow)
    row.status = "completed" if workflow.is_completed() else "running"
    row.next_timer_at = None if row.status == "completed" else next_timer_at(workflow)
    row.updated_at = now or utcnow()
    # The revision check first: a concurrent save of the same instance then waits on the
    # row and fails as a conflict, before projecting could collide with the same new tasks.
    write_row(loaded.ctx.session, row)
    project_tasks(loaded.ctx.session, row, workflow, new=loaded.new)
    loaded.new = False
    live.offer(loaded.ctx.session, row, workflow)


class translated_errors:
    """Turn workflow errors into engine errors; a helper's own EngineError passes through."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc is None or not isinstance(exc, SpiffWorkflowException):
            return False
        cause = exc
        while cause is not None:
            if isinstance(cause, EngineError):
                raise cause
            cause = cause.__cause__ or cause.__context__
        raise InstanceFailed(_describe(exc)) from exc


def _describe(exc: SpiffWorkflowException) -> str:
    task_spec = getattr(exc, "task_spec", None)
    where = getattr(task_spec, "bpmn_id", None) or getattr(task_spec, "name", "")
    notes = " ".join(getattr(exc, "__notes__", []))
    return f"{where}: {exc} {notes}".strip()
