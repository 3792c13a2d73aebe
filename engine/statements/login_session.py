"""login_session: whether a session still counts, and its actor (checked on every request)."""
from sqlalchemy import and_, bindparam, select

from engine.models import DISABLED, LoginSession, User
from engine.statements.prepared import Prepared

TABLE = LoginSession.__table__
_S, _U = TABLE.c, User.__table__.c
# A live session of an account that is not disabled (parameters: sid, now).
LIVE = and_(_S.id == bindparam("sid"), _S.revoked_at.is_(None), _S.expires_at > bindparam("now"),
            _U.status != DISABLED)
# One query per API request: an Actor's columns for a live session, without ORM objects.
ACTOR = select(_U.id, _U.role, _U.institution_id, _U.username, _U.status).select_from(
    TABLE.join(User.__table__, _S.user_id == _U.id)).where(LIVE)
ACTOR_DIRECT = Prepared(ACTOR)
