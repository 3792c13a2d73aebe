"""Helpers that notify people about a consultation (the outbox; the worker delivers e-mail)."""
from engine.consultation.helpers.common import active_users, as_id, consultation, send
from engine.workflow.script_helpers import helper


@helper
def notify(ctx, user_id, kind: str, consultation_id, reason: str = "") -> None:
    """Notify one user; nothing happens when user_id is empty."""
    send(ctx, as_id(user_id), kind, consultation(ctx, consultation_id), reason)


@helper
def notify_role(ctx, role: str, kind: str, consultation_id, reason: str = "") -> int:
    """Notify every active user of a role; returns how many were notified."""
    row = consultation(ctx, consultation_id)
    users = active_users(ctx, role)
    for user_id in users:
        send(ctx, user_id, kind, row, reason)
    return len(users)


@helper
def notify_institution(ctx, institution_id, kind: str, consultation_id, reason: str = "") -> int:
    """Notify the active lawyers and staff of an institution; returns how many."""
    row = consultation(ctx, consultation_id)
    institution = as_id(institution_id)
    users = active_users(ctx, institution_id=institution) if institution is not None else []
    for user_id in users:
        send(ctx, user_id, kind, row, reason)
    return len(users)
