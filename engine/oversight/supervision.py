"""Use cases of network supervisors (网络监督人员): warn, disqualify and reinstate lawyers.

Each sanction starts the `supervision` process (processes/supervision.bpmn), so it runs the
deployed, versioned diagram and is audited like every other process; the diagram's helpers
(engine.helpers.supervision) check the request and do the work in the same transaction.
"""
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access
from engine.actor import Actor
from engine.errors import NotAllowed
from engine.models import LawyerWarning, User
from engine.models.supervision import DISQUALIFY, REINSTATE, WARN
from engine.uow import read_only, transaction
from engine.workflow.instances import start_in

PROCESS_KEY = "supervision"
SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class WarningInfo:
    id: int
    lawyer_id: int
    kind: str  # warn | disqualify | reinstate
    reason: str
    by: int | None
    at: datetime
    answer_id: int | None
    consultation_id: int | None
    instance_id: int | None

    @classmethod
    def of(cls, w: LawyerWarning) -> "WarningInfo":
        return cls(w.id, w.lawyer_id, w.kind, w.reason, w.by, w.at, w.answer_id,
                   w.consultation_id, w.instance_id)

    def as_dict(self) -> dict:
        return asdict(self)


def require_supervisor(actor: Actor) -> None:
    """Sanctions and the review queue need `sanction` (supervisors in good standing)."""
    access.require(actor, "sanction")


def sanction_in(session: Session, actor: Actor, action: str, lawyer_id: int, reason: str,
                answer_id: int | None = None, consultation_id: int | None = None
                ) -> WarningInfo:
    """Run the supervision process inside the caller's transaction; return its record."""
    require_supervisor(actor)
    access.require_standing(session, actor)  # read now, not when the page was opened
    data = {"action": action, "lawyer_id": lawyer_id, "reason": reason,
            "answer_id": answer_id, "consultation_id": consultation_id}
    row = start_in(session, PROCESS_KEY, data, actor)
    warning = session.scalar(select(LawyerWarning).where(LawyerWarning.instance_id == row.id))
    return WarningInfo.of(warning)


def _sanction(session: Session, actor: Actor, action: str, lawyer_id: int, reason: str,
              answer_id: int | None = None, consultation_id: int | None = None) -> WarningInfo:
    require_supervisor(actor)
    with transaction(session):
        return sanction_in(session, actor, action, lawyer_id, reason, answer_id,
                           consultation_id)


def warn(session: Session, actor: Actor, lawyer_id: int, reason: str,
         answer_id: int | None = None, consultation_id: int | None = None) -> WarningInfo:
    """Warn a lawyer (reason required); the lawyer is notified and sees it."""
    return _sanction(session, actor, WARN, lawyer_id, reason, answer_id, consultation_id)


def disqualify(session: Session, actor: Actor, lawyer_id: int, reason: str,
               answer_id: int | None = None, consultation_id: int | None = None
               ) -> WarningInfo:
    """Disqualify a lawyer: no new work; their open tasks wait for a duty officer."""
    return _sanction(session, actor, DISQUALIFY, lawyer_id, reason, answer_id,
                     consultation_id)


def reinstate(session: Session, actor: Actor, lawyer_id: int, reason: str) -> WarningInfo:
    """Give a disqualified lawyer their resident status back (reason required)."""
    return _sanction(session, actor, REINSTATE, lawyer_id, reason)


def warnings_for(session: Session, lawyer_id: int, actor: Actor | None = None
                 ) -> list[WarningInfo]:
    """A lawyer's warnings and sanctions, newest first. With `actor`, only the lawyer
    themselves, supervisors, duty officers and administrators may read them."""
    if (actor is not None and actor.id != lawyer_id
            and not access.can(actor, "read_lawyer_record")):
        raise NotAllowed("无权查看")
    with read_only(session):
        rows = session.scalars(select(LawyerWarning).where(LawyerWarning.lawyer_id == lawyer_id)
                               .order_by(LawyerWarning.at.desc(), LawyerWarning.id.desc()))
        return [WarningInfo.of(w) for w in rows]


def lawyer_status(session: Session, lawyer_id: int) -> str | None:
    """active, disqualified or disabled; None for an unknown user."""
    with read_only(session):
        return session.scalar(select(User.status).where(User.id == lawyer_id))
