"""Where a consultation really is, for the person who asked: its open steps and their rating."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.consultation.visibility import visible
from engine.errors import NotFound
from engine.models import Consultation, Feedback, HumanTask
from engine.people.roles import SEES_CONTACT
from engine.uow import read_only


@dataclass(frozen=True)
class RatingView:
    satisfied: bool
    comment: str
    wants_referral: bool
    round: int
    at: datetime


@dataclass(frozen=True)
class Progress:
    open_steps: tuple[str, ...]  # diagram ids of the steps waiting for someone
    ratings: list[RatingView]  # the citizen's own ratings, oldest first


def progress_of(session: Session, consultation_id: int, actor: Actor) -> Progress:
    """The steps open on the consultation's processes and the citizen's ratings of it."""
    with read_only(session):
        row = session.scalar(select(Consultation).where(
            Consultation.id == consultation_id, visible(actor)))
        if row is None:
            raise NotFound("咨询不存在")
        steps = session.scalars(select(HumanTask.bpmn_id).where(
            HumanTask.business_key == str(row.id), HumanTask.state == "ready")
            .order_by(HumanTask.created_at)).all()
        ratings = []
        if actor.role in SEES_CONTACT or actor.id == row.citizen_id:
            ratings = [RatingView(f.satisfied, f.comment or "", f.wants_referral, f.round,
                                  f.created_at)
                       for f in session.scalars(select(Feedback).where(
                           Feedback.consultation_id == row.id).order_by(Feedback.id))]
    return Progress(tuple(dict.fromkeys(steps)), ratings)
