"""process_instance: every write of an instance row, and its one optimistic lock.

`revision` is the lock: WRITE matches only the revision the use case read and bumps it, so
the second of two concurrent saves matches no row (engine.workflow.rows turns that into a
TaskConflict). The ORM never writes these rows: a flush that would is refused."""
from sqlalchemy import bindparam, event, insert, select, update

from engine.models import ProcessInstance
from engine.statements.prepared import Prepared

TABLE = ProcessInstance.__table__
READ = select(*TABLE.c).where(TABLE.c.id == bindparam("row_id"))
INSERT = insert(TABLE).returning(TABLE.c.id)
WRITE = update(TABLE).where(TABLE.c.id == bindparam("row_id"),
                            TABLE.c.revision == bindparam("old_revision"))
WRITE_DIRECT = Prepared(WRITE)
READ_DIRECT = Prepared(READ)
# Moves the revision of the given instances on, so a save that read them before fails.
BUMP_REVISIONS = (update(TABLE).where(TABLE.c.id.in_(bindparam("ids", expanding=True)))
                  .values(revision=TABLE.c.revision + 1))


@event.listens_for(ProcessInstance, "before_update")
def _refuse_orm_update(_mapper, _connection, target) -> None:
    raise RuntimeError(f"process_instance {target.id}: written only through "
                       "engine.statements.process_instance (its revision check)")
