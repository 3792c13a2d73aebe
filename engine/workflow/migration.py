"""Use cases for moving running instances between versions: diff, dry run, migrate, roll back.

The decision and the move itself are in `workflow_migration` (its docstring states the rule
for refusing an instance). Here: one transaction per instance, a snapshot before every move so
that it can be rolled back, the human-task index kept in line (same task ids, assignees and
claims), and an audit row with who, why, from and to.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from SpiffWorkflow.util.task import TaskState
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.errors import N_, EngineError, InvalidInput, NotFound, TaskConflict
from engine.models import InstanceSnapshot, ProcessInstance, ProcessVersion, utcnow
from engine.uow import read_only, transaction
from engine.workflow import runtime, state
from engine.workflow.migration_index import (
    WaitGroup,
    carry_over,
    instances_by_wait_state,
    ready_rows,
    refresh_rows,
)
from engine.workflow.rows import read_row
from engine.workflow.script_helpers import ScriptContext, bind
from engine.workflow.scripting import script_engine
from engine.workflow.versions import specs_for, version_of
from engine.workflow.workflow_migration import (
    ProcessDiff,
    SpecDiffs,
    TaskNote,
    apply,
    diff_specs,
    plan,
)

__all__ = ["InstanceReport", "MigrationReport", "VersionDiff", "WaitGroup", "dry_run",
           "instances_by_wait_state", "migrate", "rollback", "version_diff"]

Progress = Callable[[int, int, "InstanceReport"], None]


@dataclass(frozen=True)
class VersionRef:
    id: int
    key: str
    number: int

    @classmethod
    def of(cls, row: ProcessVersion) -> "VersionRef":
        return cls(row.id, row.key, row.number)


@dataclass(frozen=True)
class VersionDiff:
    """Per process (the top one first, then its subprocesses): what the new version changed."""

    old: VersionRef
    new: VersionRef
    processes: list[ProcessDiff]


@dataclass(frozen=True)
class InstanceReport:
    """One instance in a dry run or a migration; `reason` says why it cannot (or did not) move."""

    instance_id: int
    business_key: str | None
    can_migrate: bool
    reason: str = ""
    reset_tasks: list[TaskNote] = field(default_factory=list)
    removed_tasks: list[TaskNote] = field(default_factory=list)
    migrated: bool = False


@dataclass(frozen=True)
class MigrationReport:
    old: VersionRef
    new: VersionRef
    instances: list[InstanceReport]

    @property
    def migrated(self) -> list[InstanceReport]:
        return [r for r in self.instances if r.migrated]

    @property
    def refused(self) -> list[InstanceReport]:
        return [r for r in self.instances if not r.migrated]


class _Pair:
    """The two versions of a migration with their specs and a shared diff cache."""

    def __init__(self, session: Session, from_version_id: int, to_version_id: int):
        self.old = version_of(session, from_version_id)
        self.new = version_of(session, to_version_id)
        if self.old.key != self.new.key or self.old.id == self.new.id:
            raise InvalidInput("只能在同一流程的两个不同版本之间迁移")
        self.new_spec, self.new_deps = specs_for(self.new)
        self.diffs = SpecDiffs()

    def refs(self) -> tuple[VersionRef, VersionRef]:
        return VersionRef.of(self.old), VersionRef.of(self.new)


def version_diff(session: Session, from_version_id: int, to_version_id: int) -> VersionDiff:
    """Added, removed and changed BPMN elements between two versions of a process."""
    with read_only(session):
        pair = _Pair(session, from_version_id, to_version_id)
    processes = diff_specs(specs_for(pair.old), (pair.new_spec, pair.new_deps), pair.diffs)
    return VersionDiff(*pair.refs(), processes)


def _running_ids(session: Session, version_id: int) -> list[int]:
    return list(session.scalars(select(ProcessInstance.id).where(
        ProcessInstance.version_id == version_id, ProcessInstance.status == "running")
        .order_by(ProcessInstance.id)))


def _not_movable(row, pair: _Pair) -> str:
    if row.version_id != pair.old.id:
        return f"实例不在版本 {pair.old.key} v{pair.old.number} 上"
    if row.status != "running":
        return "实例已结束，无需迁移"
    return ""


def _report(row, pair: _Pair, workflow) -> InstanceReport:
    """Plan the move of a workflow loaded from `row`; on success the workflow has moved."""
    why = _not_movable(row, pair)
    if why:
        return InstanceReport(row.id, row.business_key, False, why)
    found = plan(workflow, pair.new_spec, pair.new_deps, pair.diffs)
    try:
        apply(found, workflow, pair.new_spec, pair.new_deps)
    except EngineError as exc:
        return InstanceReport(row.id, row.business_key, False, exc.message, found.reset,
                              found.removed)
    return InstanceReport(row.id, row.business_key, True, "", found.reset, found.removed)


def dry_run(session: Session, from_version_id: int, to_version_id: int,
            instance_ids: Iterable[int] | None = None,
            progress: Progress | None = None) -> list[InstanceReport]:
    """For each instance (all running ones by default): could it move, what would be reset or
    removed, and why not. Each is moved on a throwaway copy; nothing is written."""
    reports = []
    with read_only(session):
        pair = _Pair(session, from_version_id, to_version_id)
        ids = list(instance_ids) if instance_ids is not None else _running_ids(session, pair.old.id)
        old_specs = specs_for(pair.old)
        for done, instance_id in enumerate(ids, 1):
            try:
                row = read_row(session, instance_id)
            except NotFound as exc:
                reports.append(InstanceReport(instance_id, None, False, exc.message))
            else:
                ctx = ScriptContext(session, row, Actor.system())
                workflow = None
                if row.version_id == pair.old.id:
                    workflow = state.load(row.state, *old_specs, script_engine(bind(ctx)))
                reports.append(_report(row, pair, workflow))
            if progress:
                progress(done, len(ids), reports[-1])
    return reports


def _require_reason(reason: str) -> str:
    if not (reason or "").strip():
        raise InvalidInput("请填写原因", {"reason": [N_("必须填写此项")]})
    return reason.strip()


def migrate(session: Session, from_version_id: int, to_version_id: int,
            instance_ids: Iterable[int] | None, actor: Actor, reason: str,
            progress: Progress | None = None) -> MigrationReport:
    """Move instances (all running ones of the old version when `instance_ids` is None) to the
    new version, each in its own transaction. Those that cannot move are reported, untouched."""
    access.require(actor, "migrate")
    reason = _require_reason(reason)
    with read_only(session):
        pair = _Pair(session, from_version_id, to_version_id)
        ids = list(instance_ids) if instance_ids is not None else _running_ids(session, pair.old.id)
    reports = []
    for done, instance_id in enumerate(ids, 1):
        try:
            reports.append(_migrate_one(session, pair, instance_id, actor, reason))
        except EngineError as exc:  # e.g. someone completed a task meanwhile: nothing written
            reports.append(InstanceReport(instance_id, None, False, exc.message))
        if progress:
            progress(done, len(ids), reports[-1])
    return MigrationReport(*pair.refs(), reports)


def _migrate_one(session: Session, pair: _Pair, instance_id: int, actor: Actor,
                 reason: str) -> InstanceReport:
    with transaction(session):
        loaded = runtime.load(session, instance_id, actor)
        row, before = loaded.row, ready_rows(session, instance_id)
        report = _report(row, pair, loaded.workflow)
        if not report.can_migrate:
            return report  # nothing written; the moved copy, if any, is dropped
        session.add(InstanceSnapshot(instance_id=row.id, version_id=row.version_id,
                                     state=row.state, revision=row.revision, taken_at=utcnow(),
                                     taken_by=actor.id, reason=reason))
        row.version_id = pair.new.id
        _save_moved(loaded, before)
        audit.record(session, "migrate", actor.id, instance_id=row.id,
                     business_key=row.business_key, data={
                         "from": {"key": pair.old.key, "version": pair.old.number},
                         "to": {"key": pair.new.key, "version": pair.new.number},
                         "reason": reason, "by": actor.username,
                         "reset": [n.bpmn_id for n in report.reset_tasks],
                         "removed": [n.bpmn_id for n in report.removed_tasks]})
    return InstanceReport(**{**report.__dict__, "migrated": True})


def _save_moved(loaded: runtime.Loaded, before: dict) -> None:
    """Save a workflow that changed version or state behind the runtime's back."""
    session, workflow = loaded.ctx.session, loaded.workflow
    if workflow.get_tasks(state=TaskState.READY, manual=False):
        runtime.advance(loaded)  # an automatic step now stands where the instance waited
    refresh_rows(session, loaded.row.id, workflow)
    runtime.save(loaded)
    carry_over(session, loaded.row.id, before)


def rollback(session: Session, instance_id: int, actor: Actor, reason: str,
             force: bool = False) -> InstanceReport:
    """Put a migrated instance back on the version and state it had before its last migration.

    Refused when the instance has moved on since (work done on the new version would be lost)
    unless `force` is given."""
    access.require(actor, "migrate")
    reason = _require_reason(reason)
    with transaction(session):
        snap = session.scalar(select(InstanceSnapshot).where(
            InstanceSnapshot.instance_id == instance_id, InstanceSnapshot.restored_at.is_(None))
            .order_by(InstanceSnapshot.id.desc()).limit(1))
        if snap is None:
            raise NotFound("该实例没有可回滚的迁移")
        row = read_row(session, instance_id)
        if row.revision != snap.revision + 1 and not force:
            raise TaskConflict("实例在迁移之后已有进展，回滚会丢弃这些进展")
        current, target = version_of(session, row.version_id), version_of(session, snap.version_id)
        ctx = ScriptContext(session, row, actor)
        workflow = state.load(snap.state, *specs_for(target), script_engine(bind(ctx)))
        row.version_id = target.id
        _save_moved(runtime.Loaded(row, workflow, ctx), ready_rows(session, instance_id))
        snap.restored_at = utcnow()
        audit.record(session, "rollback", actor.id, instance_id=row.id,
                     business_key=row.business_key, data={
                         "from": {"key": current.key, "version": current.number},
                         "to": {"key": target.key, "version": target.number},
                         "reason": reason, "by": actor.username, "snapshot": snap.id})
    return InstanceReport(row.id, row.business_key, True, migrated=True)
