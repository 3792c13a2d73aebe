"""notification: queueing one (engine.notifications.outbox)."""
from sqlalchemy import bindparam, insert, update

from engine.models import Notification
from engine.statements.prepared import Prepared

TABLE = Notification.__table__
INSERT = insert(TABLE).returning(TABLE.c.id)
INSERT_DIRECT = Prepared(INSERT)
RELINK = Prepared(update(TABLE).where(TABLE.c.id == bindparam("notification_id"))
                  .values(link=bindparam("link")))
