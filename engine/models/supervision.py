"""What supervisors record: warnings and sanctions, and their review of flagged answers."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.models.base import Base, utcnow

WARN, DISQUALIFY, REINSTATE = "warn", "disqualify", "reinstate"
SANCTIONS = (WARN, DISQUALIFY, REINSTATE)
DISMISSED, CASE_OPENED = "dismissed", "case_opened"


class LawyerWarning(Base):
    """A warning, disqualification or reinstatement of a lawyer (the lawyer sees these)."""

    __tablename__ = "lawyer_warning"
    __table_args__ = (Index("ix_lawyer_warning_lawyer_at", "lawyer_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[str] = mapped_column(String(20))  # one of SANCTIONS
    reason: Mapped[str] = mapped_column(Text)
    by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"))
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"))
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))


class AnswerReview(Base):
    """A supervisor's decision on a flagged answer or on a citizen's complaint.

    Exactly one of answer_id (a flag raised by the solicitation scan) and feedback_id (a
    dissatisfied rating with a comment) is set; each can be reviewed once.
    """

    __tablename__ = "answer_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), unique=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))  # DISMISSED or CASE_OPENED
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
