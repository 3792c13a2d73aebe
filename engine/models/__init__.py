"""The tables, one module per area; the web app shares their MetaData (`web/extensions.py`)."""
from engine.models.base import Base, utcnow
from engine.models.domain import Answer, Consultation, Feedback, Notification, Referral, SlaBreach
from engine.models.people import (
    ACTIVE,
    DISABLED,
    DISQUALIFIED,
    Institution,
    LoginSession,
    User,
)
from engine.models.process import (
    AuditEvent,
    HumanTask,
    InstanceSnapshot,
    ProcessDraft,
    ProcessInstance,
    ProcessVersion,
    TaskDraft,
)
from engine.models.supervision import AnswerReview, Complaint, LawyerWarning

__all__ = [
    "ACTIVE", "DISABLED", "DISQUALIFIED", "Answer", "AnswerReview", "AuditEvent", "Base",
    "Complaint", "Consultation", "Feedback", "HumanTask", "Institution", "InstanceSnapshot",
    "LawyerWarning", "LoginSession",
    "Notification", "ProcessDraft", "ProcessInstance", "ProcessVersion", "Referral", "SlaBreach",
    "TaskDraft", "User", "utcnow",
]
