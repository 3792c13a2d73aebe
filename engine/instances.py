"""Use case: start an instance of the latest version of a process."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from . import audit, runtime
from .actor import Actor
from .models import ProcessInstance
from .uow import transaction
from .versions import latest_version


@dataclass(frozen=True)
class InstanceInfo:
    id: int
    key: str
    version: int
    status: str
    business_key: str | None
    revision: int

    @classmethod
    def of(cls, row: ProcessInstance) -> "InstanceInfo":
        return cls(row.id, row.process_key, row.version.number, row.status, row.business_key,
                   row.revision)


def start_in(session: Session, key: str, data: dict, actor: Actor,
             business_key: str | None = None, parent_id: int | None = None) -> ProcessInstance:
    """Start inside the caller's transaction (for use cases that do more around it)."""
    version = latest_version(session, key)
    loaded = runtime.create(session, version, dict(data), actor, business_key, parent_id)
    audit.record(session, "start", actor.id, instance_id=loaded.row.id,
                 business_key=business_key, data={"key": key, "version": version.number,
                                                   "data": _jsonable(data)})
    runtime.save(loaded)
    return loaded.row


def start(session: Session, key: str, data: dict, actor: Actor,
          business_key: str | None = None) -> InstanceInfo:
    """Start the latest version of `key` with `data`; the instance stays on that version."""
    with transaction(session):
        row = start_in(session, key, data, actor, business_key)
    return InstanceInfo.of(row)


def get_instance(session: Session, instance_id: int) -> InstanceInfo | None:
    row = session.get(ProcessInstance, instance_id)
    return InstanceInfo.of(row) if row else None


def _jsonable(data: dict) -> dict:
    return {k: (v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v))
            for k, v in data.items()}
