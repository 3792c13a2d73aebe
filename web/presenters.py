"""Plain dicts from the engine's TaskInfo / TaskDetail, shared by HTML pages and the API."""
from datetime import UTC, datetime

from engine.roles import SEES_CONTACT

CONTACT_KEYS = frozenset({"contact_phone", "phone", "email", "citizen_phone", "citizen_email"})


def _business_id(key) -> int | None:
    """The consultation id from a business key such as "12" or "consultation:12"."""
    tail = str(key or "").rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else None


def task_dict(info, now: datetime | None = None) -> dict:
    """One inbox row: the BPMN key, who has it, due time and whether it is overdue."""
    now = now or datetime.now(UTC)
    due = getattr(info, "due_at", None)
    return {
        "id": str(info.id), "key": info.key, "name": info.name, "role": info.role,
        "consultation_id": _business_id(getattr(info, "business_key", None)),
        "assignee": getattr(info, "assignee_id", None),
        "claimed_by": getattr(info, "claimed_by", None),
        "institution_id": getattr(info, "institution_id", None),
        "state": getattr(info, "state", "ready"),
        "created_at": getattr(info, "created_at", None), "due_at": due,
        "overdue": bool(due and due <= now),
        "remaining_seconds": int((due - now).total_seconds()) if due else None,
    }


def field_dict(field) -> dict:
    """One form field as the templates and the API show it (options as [{id, name}])."""
    out = field.as_dict()
    out["options"] = [dict(o) for o in out.get("options") or []]
    return out


def task_detail_dict(detail, role: str) -> dict:
    """The task plus its form fields, context and revision (for optimistic locking).

    Contact keys are dropped for roles that may not see them, even if the context has them.
    """
    out = task_dict(detail.task)
    out["form"] = {"fields": [field_dict(f) for f in detail.form]}
    context = dict(detail.context or {})
    if role not in SEES_CONTACT:
        context = {k: v for k, v in context.items() if k not in CONTACT_KEYS}
    out["context"] = context
    out["values"] = dict(detail.data or {})
    out["revision"] = detail.revision
    return out
