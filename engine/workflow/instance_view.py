"""Read model for drawing one instance on its diagrams: where it waits and the path it took."""
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.models import InstanceSnapshot
from engine.uow import read_only
from engine.workflow import runtime
from engine.workflow.versions import version_of

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR
REACHED = ACTIVE | TaskState.COMPLETED


def instance_trace(session: Session, instance_id: int) -> dict:
    """The instance's version and files, and per diagram file the BPMN ids of its completed
    and active (ready, waiting, started) elements and the flows taken as [source, target]."""
    with read_only(session):
        loaded = runtime.load(session, instance_id, Actor.system())
        row = loaded.row
        version = version_of(session, row.version_id)
        snapshots = session.execute(
            select(InstanceSnapshot.id, InstanceSnapshot.version_id, InstanceSnapshot.taken_at,
                   InstanceSnapshot.reason, InstanceSnapshot.restored_at)
            .where(InstanceSnapshot.instance_id == instance_id)
            .order_by(InstanceSnapshot.id)).all()
        numbers = {s.version_id: version_of(session, s.version_id).number for s in snapshots}
    workflow = loaded.workflow
    diagrams: dict[str, dict] = {}
    for wf in [workflow, *workflow.subprocesses.values()]:
        _collect(wf, diagrams.setdefault(wf.spec.file, _empty(wf.spec.file, wf.spec.name)))
    for diagram in diagrams.values():
        diagram["completed"] = sorted(diagram["completed"] - diagram["active"])
        diagram["active"] = sorted(diagram["active"])
        diagram["flows"] = sorted(diagram["flows"])
    main = workflow.spec.file
    return {
        "instance_id": row.id, "business_key": row.business_key, "status": row.status,
        "process_key": row.process_key, "version_id": version.id,
        "version_number": version.number, "files": dict(version.files),
        "diagrams": sorted(diagrams.values(), key=lambda d: (d["file"] != main, d["file"])),
        "migrations": [{"snapshot": s.id, "from_version": numbers[s.version_id],
                        "taken_at": s.taken_at, "reason": s.reason,
                        "rolled_back_at": s.restored_at} for s in snapshots],
    }


def _empty(file: str, process_id: str) -> dict:
    return {"file": file, "process_id": process_id, "completed": set(), "active": set(),
            "flows": set()}


def _collect(wf, diagram: dict) -> None:
    for task in wf.tasks.values():
        bpmn_id = getattr(task.task_spec, "bpmn_id", None)
        if bpmn_id is None or not task.has_state(REACHED):
            continue
        diagram["active" if task.has_state(ACTIVE) else "completed"].add(bpmn_id)
        source = _drawn_parent(task)
        if source is not None and source != bpmn_id:
            diagram["flows"].add((source, bpmn_id))


def _drawn_parent(task) -> str | None:
    """The BPMN id of the nearest ancestor that is drawn (skipping the engine's own tasks)."""
    parent = task.parent
    while parent is not None:
        bpmn_id = getattr(parent.task_spec, "bpmn_id", None)
        if bpmn_id is not None:
            return bpmn_id
        parent = parent.parent
    return None
