"""Between BPMN form fields and HTML: which widget each field gets, and posted values back.

Type coercion and validation stay in the engine (the BPMN form's schema). Read-only fields
are displayed and never sent; empty inputs are left out so the engine reports required
fields itself.
"""
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from engine.errors import NotAllowed, TaskConflict

# Optional booleans that are a question to answer, not an opt-in: "not ticked" must not
# silently mean "no" (an unticked box would record a dissatisfied citizen).
YES_NO_FIELDS = frozenset({"satisfied"})


def widget(field: dict) -> str:
    """display, yesno, checkbox, select, textarea, number, date or text."""
    if field.get("readonly"):
        return "display"
    if field["type"] == "boolean":
        return "yesno" if field["id"] in YES_NO_FIELDS else "checkbox"
    if field.get("options"):
        return "select"
    if field.get("multiline"):
        return "textarea"
    return {"long": "number", "date": "date"}.get(field["type"], "text")


def form_values(fields: list[dict], posted: MultiDict) -> tuple[dict, dict]:
    """The task's own writable fields from the posted form, and errors the engine cannot see
    (an unanswered yes/no question)."""
    data: dict = {}
    errors: dict = {}
    for field in fields:
        name, kind = field["id"], widget(field)
        raw = posted.get(name, "")
        if kind == "display":
            continue
        if kind == "yesno":
            if raw in ("true", "false"):
                data[name] = raw == "true"
            else:
                errors[name] = [_("请选择“是”或“否”")]
        elif kind == "checkbox":
            data[name] = raw in ("on", "true", "1", "yes")
        elif raw.strip() != "":
            data[name] = raw if field["type"] == "string" else raw.strip()
    return data, errors


def check_actionable(detail) -> None:
    """Before reading the posted form: 409 when the task is done, 403 when not the caller's.

    The engine checks the same on completion; checking first keeps the web's own form errors
    (an unanswered yes/no) from hiding them.
    """
    if detail.task.state != "ready":
        raise TaskConflict("该任务已完成或已取消")
    if not detail.actionable:
        raise NotAllowed("您无权处理此任务")
