"""TEMPORARY read-side shim: what a user may read about consultations.

The engine contract so far has only `consultations.submit`; these read-only queries stand in
for `engine.consultations.list_for(session, actor)` / `detail(session, id, actor)` and should
move there once it exists. They never write and never touch workflows.
"""
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import NotFound
from engine.models import Answer, Consultation, Feedback, HumanTask, User
from engine.roles import SEES_CONTACT

SEES_ALL = frozenset({"duty_officer", "supervisor", "admin"})


def _visible(actor: Actor):
    """A WHERE clause: the consultations `actor` has a part in."""
    if actor.role in SEES_ALL:
        return True
    if actor.role == "citizen":
        return Consultation.citizen_id == actor.id
    worked_on = select(HumanTask.instance_id).where(
        or_(HumanTask.assignee_id == actor.id, HumanTask.claimed_by == actor.id,
            HumanTask.completed_by == actor.id))
    answered = select(Answer.consultation_id).where(
        or_(Answer.author_id == actor.id, Answer.drafter_id == actor.id))
    return or_(Consultation.lawyer_id == actor.id, Consultation.instance_id.in_(worked_on),
               Consultation.id.in_(answered))


def list_for(session: Session, actor: Actor) -> list[dict]:
    """Summaries of the consultations `actor` may see, newest first."""
    rows = session.scalars(select(Consultation).where(_visible(actor))
                           .order_by(Consultation.created_at.desc()).limit(200))
    return [_summary(c) for c in rows]


def detail(session: Session, consultation_id: int, actor: Actor) -> dict:
    """One consultation with published answers and a timeline; 404 when not visible."""
    c = session.scalar(select(Consultation).where(Consultation.id == consultation_id,
                                                  _visible(actor)))
    if c is None:
        raise NotFound("咨询不存在")
    authors = {u.id: u.display_name for u in session.scalars(
        select(User).where(User.id.in_([a.author_id for a in c.answers])))}
    out = _summary(c)
    out["question"] = c.question
    out["screening_reason"] = c.screening_reason
    out["answers"] = [{"id": a.id, "text": a.text, "kind": a.kind, "round": a.round,
                       "author": authors.get(a.author_id), "published_at": a.published_at}
                      for a in c.answers]
    out["timeline"] = _timeline(session, c)
    if actor.role in SEES_CONTACT or actor.id == c.citizen_id:
        out["contact_phone"] = c.contact_phone
        out["district"] = c.district
    return out


def _summary(c: Consultation) -> dict:
    return {"id": c.id, "title": c.title, "category": c.category, "status": c.status,
            "case_status": c.case_status, "created_at": c.created_at,
            "answered_at": c.answered_at}


def _timeline(session: Session, c: Consultation) -> list[dict]:
    """Citizen-safe milestones only: no drafts, internal notes or reviewers' comments."""
    events = [{"at": c.created_at, "event": "submitted"}]
    if c.notified_at:
        events.append({"at": c.notified_at, "event": "assigned"})
    events += [{"at": a.published_at, "event": a.kind} for a in c.answers]
    events += [{"at": f.created_at, "event": "satisfied" if f.satisfied else "dissatisfied"}
               for f in session.scalars(select(Feedback).where(Feedback.consultation_id == c.id))]
    if c.closed_at:
        events.append({"at": c.closed_at, "event": "closed"})
    return sorted(events, key=lambda e: e["at"])
