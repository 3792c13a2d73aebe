"""The migrations and rollbacks of one process's instances, read back from the audit trail."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import AuditEvent, InstanceSnapshot, User
from engine.uow import read_only

ACTIONS = ("migrate", "rollback")


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    action: str  # migrate | rollback
    at: datetime
    instance_id: int
    business_key: str | None
    from_version: int | None
    to_version: int | None
    reason: str
    by: str
    can_roll_back: bool  # the latest migration of an instance whose snapshot is still unused


def migration_history(session: Session, key: str, limit: int = 200) -> list[HistoryEntry]:
    """Newest first: every migration and rollback of `key`'s instances, kept across reloads."""
    with read_only(session):
        rows = [r for r in session.scalars(select(AuditEvent).where(
            AuditEvent.action.in_(ACTIONS)).order_by(AuditEvent.id.desc()).limit(limit * 5))
            if ((r.data or {}).get("from") or {}).get("key") == key][:limit]
        names = dict(session.execute(select(User.id, User.display_name).where(
            User.id.in_({r.actor_id for r in rows if r.actor_id}))).all())
        open_snapshots = set(session.scalars(select(InstanceSnapshot.instance_id).where(
            InstanceSnapshot.instance_id.in_({r.instance_id for r in rows}),
            InstanceSnapshot.restored_at.is_(None))))
    entries, seen = [], set()
    for r in rows:
        latest = r.instance_id not in seen
        seen.add(r.instance_id)
        data = r.data or {}
        entries.append(HistoryEntry(
            r.id, r.action, r.at, r.instance_id, r.business_key,
            (data.get("from") or {}).get("version"), (data.get("to") or {}).get("version"),
            data.get("reason", ""), names.get(r.actor_id) or data.get("by", ""),
            latest and r.action == "migrate" and r.instance_id in open_snapshots))
    return entries
