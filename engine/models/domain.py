"""Records the users read: consultations, answers, feedback, referrals, SLA breaches."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.models.base import Base, utcnow


class Consultation(Base):
    """A citizen's question; `status` is what the citizen sees."""

    __tablename__ = "consultation"
    __table_args__ = (
        Index("ix_consultation_status_created", "status", "created_at"),
        # Covers the SLA reports (engine.reports): a date range read from the index alone.
        Index("ix_consultation_report", "created_at", "lawyer_id", "category", "round",
              "notified_at", "answered_at", "seconds_to_answer"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(40), index=True)
    case_status: Mapped[str] = mapped_column(String(20), default="none")
    vulnerable: Mapped[bool] = mapped_column(default=False)
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    district: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    screening_reason: Mapped[str | None] = mapped_column(Text)
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    round: Mapped[int] = mapped_column(default=1)
    sensitive: Mapped[bool] = mapped_column(default=False)
    attention: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    notified_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    # answered_at - notified_at in whole seconds, stored when the first answer is published
    # so that reports take medians over an integer column instead of date arithmetic.
    seconds_to_answer: Mapped[int | None]
    closed_at: Mapped[datetime | None]

    answers: Mapped[list["Answer"]] = relationship(order_by="Answer.id")


class Answer(Base):
    """A published answer: kind is answer, refusal, expert, expert_endorsement or
    overruled_refusal (kept for the back office only)."""

    __tablename__ = "answer"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    drafter_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    round: Mapped[int] = mapped_column(default=1)
    flagged: Mapped[bool] = mapped_column(default=False)
    # Touting text the lawyer chose to keep: the citizen sees it only once a supervisor
    # releases it.
    held: Mapped[bool] = mapped_column(default=False, server_default=false())
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


class Feedback(Base):
    """The citizen's rating of an answer."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"))
    satisfied: Mapped[bool]
    comment: Mapped[str] = mapped_column(Text, default="")
    wants_referral: Mapped[bool] = mapped_column(default=False)
    round: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Referral(Base):
    """An offline engagement arranged through the platform (线下委托)."""

    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(ForeignKey("consultation.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(ForeignKey("process_instance.id"))
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"))
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[str] = mapped_column(String(20), default="requested")
    decline_reason: Mapped[str | None] = mapped_column(Text)
    agreement_no: Mapped[str | None] = mapped_column(String(80))
    signed_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class SlaBreach(Base):
    """A deadline that passed: answer (5 h), callback (2 h), expert (24 h), referral steps."""

    __tablename__ = "sla_breach"
    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int | None] = mapped_column(ForeignKey("consultation.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """Outbox row: shown in the web UI and delivered by e-mail by the worker."""

    __tablename__ = "notification"
    __table_args__ = (Index("ix_notification_email_due", "email_status", "email_next_at"),
                      # The header's unread count on every page: an index-only count.
                      Index("ix_notification_user_unread", "user_id", "read_at"))
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))  # ..._user_unread
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # Subject and body as templates and values (engine.errors.Message.stored), so each reader
    # reads them in their own language; subject and body above are the Chinese text. None:
    # written before notices kept them, or a text with no template.
    message: Mapped[dict | None]
    link: Mapped[str | None] = mapped_column(String(200))
    business_key: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    email_status: Mapped[str] = mapped_column(String(20), default="pending")
    email_attempts: Mapped[int] = mapped_column(default=0)
    email_next_at: Mapped[datetime | None]
    email_sent_at: Mapped[datetime | None]
    email_error: Mapped[str | None] = mapped_column(Text)
