"""notification: queueing one (engine.notifications.outbox)."""
from sqlalchemy import insert

from engine.models import Notification

TABLE = Notification.__table__
INSERT = insert(TABLE).returning(TABLE.c.id)
