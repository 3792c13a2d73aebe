"""audit_event: the chain's tip and the append (engine.audit writes nothing else)."""
from sqlalchemy import bindparam, func, insert, select

from engine.models import AuditEvent
from engine.statements.prepared import Prepared

TABLE = AuditEvent.__table__
LAST_HASH = select(TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)
HEAD = select(TABLE.c.id, TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)  # for anchors
INSERT = insert(TABLE)
INSERT_DIRECT = Prepared(INSERT)
# PostgreSQL: the chain's advisory lock, held to the end of the transaction (parameter: k).
LOCK = Prepared(select(func.pg_advisory_xact_lock(bindparam("k"))))
LAST_HASH_DIRECT = Prepared(LAST_HASH)
