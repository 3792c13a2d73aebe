"""Use cases for designers' drafts: a bundle being edited, saved without being deployed."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import N_, InvalidInput, NotFound
from engine.models import ProcessDraft, ProcessVersion, User, utcnow
from engine.uow import read_only, transaction

MAX_FILES = 50


@dataclass(frozen=True)
class DraftInfo:
    id: int
    key: str
    author_id: int | None
    author: str
    saved_at: datetime
    base_version_id: int | None
    base_version: int | None = None
    files: dict[str, str] = field(default_factory=dict)


def _check(key: str, files: dict) -> None:
    fields: dict[str, list[str]] = {}
    if not (key or "").strip():
        fields["key"] = [N_("必须填写此项")]
    if not isinstance(files, dict) or not files or len(files) > MAX_FILES:
        fields["files"] = [N_("草稿须包含 1 至 50 个文件")]
    elif any(not isinstance(n, str) or not n.endswith((".bpmn", ".dmn")) or "/" in n
             or not isinstance(t, str) for n, t in files.items()):
        fields["files"] = [N_("只能保存 .bpmn 和 .dmn 文件（文件名不含路径）")]
    if fields:
        raise InvalidInput("草稿无效", fields)


def save(session: Session, key: str, files: dict[str, str], author_id: int | None,
         base_version_id: int | None = None, draft_id: int | None = None) -> DraftInfo:
    """Store a new draft of `key`, or overwrite draft `draft_id` with these files."""
    _check(key, files)
    with transaction(session):
        if base_version_id is not None and session.get(ProcessVersion, base_version_id) is None:
            raise NotFound("流程版本不存在")
        if draft_id is None:
            row = ProcessDraft(key=key.strip(), base_version_id=base_version_id)
            session.add(row)
        else:
            row = _row(session, draft_id)
        row.files, row.author_id, row.saved_at = dict(files), author_id, utcnow()
        session.flush()
        audit.record(session, "save_draft", author_id, data={
            "draft": row.id, "key": row.key, "files": sorted(files)})
        info = _info(session, row, with_files=False)
    return info


def get(session: Session, draft_id: int) -> DraftInfo:
    """One draft with its files."""
    with read_only(session):
        return _info(session, _row(session, draft_id), with_files=True)


def list_drafts(session: Session, key: str | None = None) -> list[DraftInfo]:
    """Drafts (without their files), most recently saved first."""
    query = select(ProcessDraft).order_by(ProcessDraft.saved_at.desc(), ProcessDraft.id.desc())
    if key is not None:
        query = query.where(ProcessDraft.key == key)
    with read_only(session):
        return [_info(session, row, with_files=False) for row in session.scalars(query)]


def discard(session: Session, draft_id: int, actor_id: int | None) -> None:
    """Delete a draft; the deployed versions are not touched."""
    with transaction(session):
        row = _row(session, draft_id)
        audit.record(session, "discard_draft", actor_id, data={"draft": row.id, "key": row.key})
        session.delete(row)


def _row(session: Session, draft_id: int) -> ProcessDraft:
    row = session.get(ProcessDraft, draft_id)
    if row is None:
        raise NotFound("草稿不存在")
    return row


def _info(session: Session, row: ProcessDraft, with_files: bool) -> DraftInfo:
    author = session.get(User, row.author_id) if row.author_id else None
    base = session.get(ProcessVersion, row.base_version_id) if row.base_version_id else None
    return DraftInfo(row.id, row.key, row.author_id, author.display_name if author else "",
                     row.saved_at, row.base_version_id, base.number if base else None,
                     dict(row.files) if with_files else {})
