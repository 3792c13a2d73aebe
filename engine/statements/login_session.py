"""login_session: whether a session still counts, and its actor (checked on every request)."""
from sqlalchemy import and_, bindparam, select

from engine.models import DISABLED, Institution, LoginSession, User
from engine.statements.prepared import Prepared

TABLE = LoginSession.__table__
_S, _U, _I = TABLE.c, User.__table__.c, Institution.__table__.c
# A live session of an account that is not disabled (parameters: sid, now).
LIVE = and_(_S.id == bindparam("sid"), _S.revoked_at.is_(None), _S.expires_at > bindparam("now"),
            _U.status != DISABLED)
# One query per API request: the account of a live session (the actor's columns, what the
# caller sees of themselves on GET /me, their language) with its institution's name.
ACCOUNT = Prepared(select(_U.id, _U.role, _U.institution_id, _U.username, _U.status,
                          _U.display_name, _U.locale, _I.name.label("institution"))
                   .select_from(TABLE.join(User.__table__, _S.user_id == _U.id)
                                .outerjoin(Institution.__table__, _U.institution_id == _I.id))
                   .where(LIVE))
