"""A consultation's status as the citizen follows it: one list, used wherever one is compared.

Diagrams name these values in `set_status(consultation_id, "...")`; the web gives each a
translated label. A StrEnum member equals its string, so rows keep plain text.
"""
from enum import StrEnum


class Status(StrEnum):
    """Where a consultation stands, in the order it usually moves."""

    SUBMITTED = "submitted"
    SCREENING = "screening"
    ASSIGNED = "assigned"
    ANSWERING = "answering"
    EXPERT_REVIEW = "expert_review"
    ANSWERED = "answered"
    REFUSED = "refused"
    CALLBACK = "callback"
    REFERRAL = "referral"
    REJECTED = "rejected"
    CLOSED = "closed"


FINISHED = (Status.CLOSED, Status.REJECTED)
OPEN = tuple(s for s in Status if s not in FINISHED)
# Closing keeps a status that already tells the citizen how it ended.
KEPT_WHEN_CLOSED = frozenset({Status.REFUSED, Status.REJECTED})
