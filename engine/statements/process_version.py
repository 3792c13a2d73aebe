"""process_version: the newest version of a key (versions are written by the ORM on deploy)."""
from sqlalchemy import bindparam, select

from engine.models import ProcessVersion
from engine.statements.prepared import Prepared

TABLE = ProcessVersion.__table__
LATEST_ID = Prepared(select(TABLE.c.id).where(TABLE.c.key == bindparam("key"))
                     .order_by(TABLE.c.number.desc()).limit(1))
