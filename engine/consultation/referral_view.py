"""What people see of an offline engagement (线下委托): the citizen, which institution will
contact them and by when, then the agreement; the back office, also each decline's reason."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.models import AuditEvent, Consultation, HumanTask, Institution
from engine.people.users import shown_name

# The steps of the referral diagram whose deadline tells the citizen "by when".
WAITING_STEPS = ("accept_referral", "record_agreement")


@dataclass(frozen=True)
class Decline:
    institution: str
    reason: str
    at: datetime


@dataclass(frozen=True)
class ReferralView:
    status: str  # offered, accepted, agreed, declined, failed
    institution: str | None
    handler: str | None
    due_at: datetime | None  # the institution answers, or the agreement is signed, by then
    agreement_no: str | None
    signed_on: str | None
    declines: list[Decline] = field(default_factory=list)  # back office only


def referral_for(session: Session, row, actor: Actor, referral) -> ReferralView | None:
    """The consultation's latest referral (`referral`, read with the consultation) as `actor`
    may see it, or None."""
    if referral is None:
        return None
    due_at = session.scalar(select(HumanTask.due_at).where(
        HumanTask.business_key == str(row.id), HumanTask.state == "ready",
        HumanTask.bpmn_id.in_(WAITING_STEPS)).order_by(HumanTask.due_at).limit(1))
    return ReferralView(
        referral.status, _institution(session, referral.institution_id),
        shown_name(session, referral.handler_id or None), due_at, referral.agreement_no,
        referral.signed_on.isoformat() if referral.signed_on else None,
        declines=[] if actor.role == "citizen" else _declines(session, row))


def _declines(session: Session, row: Consultation) -> list[Decline]:
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.business_key == str(row.id), AuditEvent.action == "referral_updated")
        .order_by(AuditEvent.id))
    return [Decline(_institution(session, (e.data or {}).get("institution_id")) or "",
                    (e.data or {}).get("decline_reason") or "", e.at)
            for e in events if (e.data or {}).get("status") == "declined"]


def _institution(session: Session, institution_id) -> str | None:
    return session.scalar(select(Institution.name).where(Institution.id == institution_id)) \
        if institution_id else None
