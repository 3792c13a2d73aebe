"""Plain dicts from the engine's data classes, shared by the HTML pages and the JSON API."""
from datetime import UTC, datetime

from engine import access
from engine.people.roles import CONTACT_FIELDS
from engine.workflow.process_facts import hours


def _business_id(key) -> int | None:
    """The consultation id from a business key such as "12" or "consultation:12"."""
    tail = str(key or "").rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def task_dict(info, now: datetime | None = None) -> dict:
    """One inbox row: the BPMN key, who has it, due time and whether it is overdue."""
    now = now or datetime.now(UTC)
    due = info.due_at
    return {
        "id": str(info.id), "key": info.key, "name": info.name, "role": info.role,
        "consultation_id": _business_id(info.business_key),
        "assignee": info.assignee_id, "claimed_by": info.claimed_by,
        "institution_id": info.institution_id, "state": info.state,
        "created_at": info.created_at, "due_at": due,
        "overdue": bool(due and due <= now),
        "remaining_seconds": int((due - now).total_seconds()) if due else None,
    }


def field_dict(field) -> dict:
    """One form field as the templates and the API show it (options as [{id, name}])."""
    out = field.as_dict()
    out["options"] = [dict(o) for o in out.get("options") or []]
    return out


def task_detail_dict(detail, actor) -> dict:
    """The task plus its form fields, current values, context and revision.

    Contact keys are dropped for actors who may not see them, even if the context has them.
    """
    out = task_dict(detail.task)
    out["form"] = {"fields": [field_dict(f) for f in detail.form]}
    context = dict(detail.context or {})
    if not access.can(actor, "read_contact"):
        context = {k: v for k, v in context.items() if k not in CONTACT_FIELDS}
    out["context"] = context
    out["values"] = dict(detail.data or {})
    out["documentation"] = detail.documentation
    out["revision"] = detail.revision
    out["actionable"] = detail.actionable
    out["deadline_hours"] = hours(detail.deadline)
    return out


def summary_dict(s) -> dict:
    """A consultation in a list."""
    return {"id": s.id, "title": s.title, "category": s.category, "status": s.status,
            "created_at": s.created_at, "answered_at": s.answered_at}


def answer_dict(a) -> dict:
    """A published answer, attributed to its author; drafter/approver only when given."""
    out = {"id": a.id, "kind": a.kind, "text": a.text, "author": a.author_name or None,
           "round": a.round, "published_at": a.published_at}
    if a.drafter_name:
        out["drafter"] = a.drafter_name
    if a.approver_name:
        out["approver"] = a.approver_name
    return out


def consultation_dict(d) -> dict:
    """A consultation with answers and timeline; the contact phone only when the engine gave it."""
    out = {"id": d.id, "title": d.title, "question": d.question, "category": d.category,
           "case_status": d.case_status, "vulnerable": d.vulnerable, "district": d.district,
           "status": d.status, "screening_reason": d.screening_reason, "round": d.round,
           "lawyer": d.lawyer_name, "created_at": d.created_at, "answered_at": d.answered_at,
           "closed_at": d.closed_at, "answer_hours": d.answer_hours,
           "answers": [answer_dict(a) for a in d.answers],
           "timeline": [{"at": e.at, "event": e.action, "actor": e.actor_name,
                         "task": e.task_name} for e in d.timeline]}
    if d.contact_phone is not None:
        out["contact_phone"] = d.contact_phone
    if d.referral is not None:
        r = d.referral
        out["referral"] = {"status": r.status, "institution": r.institution,
                           "handler": r.handler, "due_at": r.due_at,
                           "agreement_no": r.agreement_no, "signed_on": r.signed_on,
                           "declines": [{"institution": x.institution, "reason": x.reason,
                                         "at": x.at} for x in r.declines]}
    return out
