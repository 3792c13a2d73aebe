"""SQLAlchemy models. The web app binds them through Flask-SQLAlchemy (model_class=Base)."""
from .base import Base, utcnow
from .domain import Answer, Consultation, Feedback, Notification, Referral, SlaBreach
from .people import ACTIVE, DISABLED, DISQUALIFIED, Institution, User
from .process import (
    AuditEvent,
    HumanTask,
    InstanceSnapshot,
    ProcessDraft,
    ProcessInstance,
    ProcessVersion,
)
from .supervision import AnswerReview, LawyerWarning

__all__ = [
    "ACTIVE", "DISABLED", "DISQUALIFIED", "Answer", "AnswerReview", "AuditEvent", "Base",
    "Consultation", "Feedback", "HumanTask", "Institution", "InstanceSnapshot", "LawyerWarning",
    "Notification", "ProcessDraft", "ProcessInstance", "ProcessVersion", "Referral", "SlaBreach",
    "User", "utcnow",
]
