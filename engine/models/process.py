"""Process versions, running instances, the human-task index and the audit log."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow


class ProcessVersion(Base):
    """One deployed version of one process key; `files` is the whole bundle.

    Provenance: `source` is where the files came from (`files` on disk through `deploy PATH`,
    the web `modeler`, a `zip`), `file_checksums` the SHA-256 of each file, `source_note` the
    paths or archive deployed and by which system user; `deployed_by`, `deployed_at` and
    `reason` say who, when and why.
    """

    __tablename__ = "process_version"
    __table_args__ = (UniqueConstraint("key", "number", name="uq_process_version_key_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200), default="")
    files: Mapped[dict]  # {filename: text}
    checksum: Mapped[str] = mapped_column(String(64))
    deployed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    deployed_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(10), default="files")
    file_checksums: Mapped[dict] = mapped_column(default=dict)  # {filename: sha256 hex}
    source_note: Mapped[str] = mapped_column(String(300), default="")
    # When a deployment from files first found the files equal to this (modeler or zip)
    # version: the repository has it since, and later file edits build on it.
    files_matched_at: Mapped[datetime | None]


class ProcessInstance(Base):
    """A running (or finished) workflow; `state` holds the serialized tasks, not the spec."""

    __tablename__ = "process_instance"
    # The timer worker's query: running instances in due order (engine.timers.due_query).
    __table_args__ = (Index("ix_process_instance_timer_due", "status", "next_timer_at", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"), index=True)
    process_key: Mapped[str] = mapped_column(String(100))
    business_key: Mapped[str | None] = mapped_column(String(100), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    # status and next_timer_at are queried together, through ix_process_instance_timer_due
    status: Mapped[str] = mapped_column(String(20), default="running")
    state: Mapped[bytes] = mapped_column(LargeBinary)
    # The optimistic lock: every write checks and bumps it (engine.statements.process_instance).
    revision: Mapped[int] = mapped_column(default=1)
    next_timer_at: Mapped[datetime | None] = mapped_column()
    started_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    error: Mapped[str | None] = mapped_column(Text)
    failures: Mapped[int] = mapped_column(default=0)

    version: Mapped[ProcessVersion] = relationship()


class HumanTask(Base):
    """Inbox index: one row per user task that is or was ready. Never needs the workflow."""

    __tablename__ = "human_task"
    __table_args__ = (
        Index("ix_human_task_inbox_role", "state", "role", "assignee_id", "institution_id",
              "due_at"),
        Index("ix_human_task_inbox_assignee", "state", "assignee_id", "due_at"),
    )
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the SpiffWorkflow task id
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    bpmn_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    candidate_groups: Mapped[list] = mapped_column(default=list)
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    business_key: Mapped[str | None] = mapped_column(String(100), index=True)
    state: Mapped[str] = mapped_column(String(20), default="ready")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # Set when the assignee was disqualified: the task waits for a duty officer to reassign
    # it (engine.reassign) and may not be completed by anyone until then.
    reassign_from: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class InstanceSnapshot(Base):
    """An instance's version and state just before a migration, kept so it can be rolled back."""

    __tablename__ = "instance_snapshot"
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("process_version.id"))
    state: Mapped[bytes] = mapped_column(LargeBinary)
    revision: Mapped[int]
    taken_at: Mapped[datetime] = mapped_column(default=utcnow)
    taken_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    restored_at: Mapped[datetime | None]  # set by the rollback that used it


class ProcessDraft(Base):
    """A designer's unsaved work on a process: the whole bundle's files, not yet deployed."""

    __tablename__ = "process_draft"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    files: Mapped[dict]  # {filename: text}
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("process_version.id"))


class AuditEvent(Base):
    """Append-only log of every action; rows are chained by hash."""

    __tablename__ = "audit_event"
    # Task outcomes for reports (e.g. expert_review decisions) without scanning the log.
    __table_args__ = (Index("ix_audit_event_task_key", "task_key", "action"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)
    instance_id: Mapped[int | None] = mapped_column(index=True)
    task_id: Mapped[str | None] = mapped_column(String(36))
    task_key: Mapped[str | None] = mapped_column(String(100))
    business_key: Mapped[str | None] = mapped_column(String(100), index=True)
    data: Mapped[dict] = mapped_column(default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    hash: Mapped[str] = mapped_column(String(64), default="")


class TaskDraft(Base):
    """A person's unsubmitted input on a human task, saved as they type.

    Keyed by instance, BPMN task id and person rather than by SpiffWorkflow task id: a
    migration that resets a task gives it a new id, and the half-written answer must survive.
    """

    __tablename__ = "task_draft"
    __table_args__ = (UniqueConstraint("instance_id", "bpmn_id", "user_id",
                                       name="uq_task_draft_instance_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instance.id"))
    bpmn_id: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    task_id: Mapped[str] = mapped_column(String(36))  # the task it was last saved on
    data: Mapped[dict]
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
