"""user_account: the hot reads of users (the lawyers who may answer a consultation; a
session's actor is in login_session). Users are written by the ORM in engine.people.users."""
from sqlalchemy import bindparam, func, or_, select, union

from engine.models import Answer, HumanTask, Institution, SlaBreach, User
from engine.statements.prepared import Prepared

TABLE = User.__table__
_U, _I, _H = TABLE.c, Institution.__table__.c, HumanTask.__table__.c
_A, _B = Answer.__table__.c, SlaBreach.__table__.c
_WITH_INSTITUTION = TABLE.outerjoin(Institution.__table__, _U.institution_id == _I.id)

# Who has answered a consultation, refusals a duty officer overruled included: never again.
ANSWERED_KINDS = ("answer", "refusal", "overruled_refusal")

def active_lawyer(users=User, institutions=Institution) -> tuple:
    """Conditions: a lawyer who is active, in an active institution or in none."""
    return (users.role == "lawyer", users.status == "active",
            or_(users.institution_id.is_(None), institutions.active.is_(True)))


def _candidates():
    """Every lawyer who may answer a consultation, with their open inbox tasks, in one query:
    active, and not among those who already answered, refused or let the deadline pass."""
    consultation_id = bindparam("consultation_id")
    worked = union(
        select(_A.author_id).where(_A.consultation_id == consultation_id,
                                   _A.kind.in_(ANSWERED_KINDS), _A.author_id.is_not(None)),
        select(_B.user_id).where(_B.consultation_id == consultation_id,
                                 _B.stage.like("answer%"), _B.user_id.is_not(None)))
    open_tasks = (select(func.count()).where(_H.state == "ready", _H.assignee_id == _U.id)
                  .scalar_subquery())
    return (select(_U.id, _U.categories, open_tasks.label("open_tasks"))
            .select_from(_WITH_INSTITUTION)
            .where(*active_lawyer(_U, _I), _U.id.not_in(worked)))


CANDIDATES = _candidates()  # parameter: consultation_id


# Who may be given work, read now (parameter: user_id): the user's status and their
# institution's `active` (None without one).
STANDING = Prepared(select(_U.status, _I.active).select_from(_WITH_INSTITUTION)
                    .where(_U.id == bindparam("user_id")))
# The active users who may claim a role's task (parameters: role; and institution_id).
_HOLDERS = (select(_U.id).select_from(_WITH_INSTITUTION)
            .where(_U.role == bindparam("role"), _U.status == "active",
                   _I.active.is_not(False)).order_by(_U.id))
HOLDERS = Prepared(_HOLDERS)
HOLDERS_IN_INSTITUTION = Prepared(_HOLDERS.where(_U.institution_id == bindparam("institution_id")))
