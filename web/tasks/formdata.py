"""Turn a posted HTML form back into task data: checkboxes become booleans.

Type coercion and validation stay in the engine (the BPMN form's schema); empty inputs are
left out so the engine reports required fields itself.
"""
from werkzeug.datastructures import MultiDict


def form_values(fields: list[dict], posted: MultiDict) -> dict:
    """The values of the task's own fields from the posted form (nothing else passes)."""
    data: dict = {}
    for field in fields:
        name = field["id"]
        if field["type"] == "boolean":
            data[name] = posted.get(name) in ("on", "true", "1", "yes")
        elif posted.get(name, "").strip() != "":
            data[name] = posted[name].strip() if field["type"] != "string" else posted[name]
    return data
