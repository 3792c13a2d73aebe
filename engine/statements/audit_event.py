"""audit_event: the chain's tip and the append (engine.audit writes nothing else)."""
from sqlalchemy import insert, select

from engine.models import AuditEvent

TABLE = AuditEvent.__table__
LAST_HASH = select(TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)
HEAD = select(TABLE.c.id, TABLE.c.hash).order_by(TABLE.c.id.desc()).limit(1)  # for anchors
INSERT = insert(TABLE)
