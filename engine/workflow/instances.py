"""Use case: start an instance of the latest version of a process."""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.models import ProcessInstance, ProcessVersion
from engine.uow import read_only, transaction
from engine.workflow import runtime
from engine.workflow.rows import InstanceRow
from engine.workflow.versions import latest_version, version_of


@dataclass(frozen=True)
class InstanceInfo:
    id: int
    key: str
    version: int
    status: str
    business_key: str | None
    revision: int

    @classmethod
    def of(cls, row, number: int) -> "InstanceInfo":
        return cls(row.id, row.process_key, number, row.status, row.business_key, row.revision)


def start_in(session: Session, key: str, data: dict, actor: Actor,
             business_key: str | None = None, parent_id: int | None = None,
             version: ProcessVersion | None = None) -> InstanceRow:
    """Start inside the caller's transaction (for use cases that do more around it); on
    `version` when the caller already looked it up, else on the latest one."""
    version = version or latest_version(session, key)
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
        number = version_of(session, row.version_id).number
    return InstanceInfo.of(row, number)


def get_instance(session: Session, instance_id: int) -> InstanceInfo | None:
    with read_only(session):
        row = session.get(ProcessInstance, instance_id)
        return InstanceInfo.of(row, row.version.number) if row else None


def _jsonable(data: dict) -> dict:
    return {k: (v if isinstance(v, str | int | float | bool | type(None) | list | dict) else str(v))
            for k, v in data.items()}
