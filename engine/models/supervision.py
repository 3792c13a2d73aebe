"""What supervisors record: warnings and sanctions, citizens' complaints, and their review of
flagged answers and complaints."""
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


# Why a citizen complains about a lawyer's conduct (a complaint is not a rating of the answer).
COMPLAINT_REASONS = ("attitude", "solicitation", "misconduct", "other")


class Complaint(Base):
    """A citizen's complaint about the conduct of the people who handled a consultation."""

    __tablename__ = "complaint"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str] = mapped_column(String(20))  # one of COMPLAINT_REASONS
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerReview(Base):
    """A supervisor's decision on a flagged answer or on a citizen's complaint.

    Exactly one of answer_id (a flag raised by the solicitation scan) and complaint_id is set
    (feedback_id is kept for reviews made before complaints were their own act); each can be
    reviewed once.
    """

    __tablename__ = "answer_review"
    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), unique=True)
    feedback_id: Mapped[int | None] = mapped_column(ForeignKey("feedback.id"), unique=True)
    complaint_id: Mapped[int | None] = mapped_column(ForeignKey("complaint.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))  # DISMISSED or CASE_OPENED
    reason: Mapped[str] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reviewed_at: Mapped[datetime] = mapped_column(default=utcnow)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
