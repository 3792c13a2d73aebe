"""What the task page shows beside the form: labelled context and pickers for id fields."""
from flask import g
from flask_babel import lazy_gettext as _l

from engine.actor import Actor
from engine.consultation import cases as consultations
from engine.people import users
from web.extensions import db

from .formdata import widget

# Process data worth showing beside the form, in this order (the rest is internal).
CONTEXT_LABELS = {
    "category": _l("问题类别"), "case_status": _l("案件所处阶段"),
    "vulnerable": _l("涉及未成年人、老年人或人身安全"), "district": _l("所在区"),
    "contact_phone": _l("联系电话"), "satisfied": _l("咨询人是否满意"),
    "feedback_comment": _l("咨询人评价"), "wants_referral": _l("希望线下委托"),
    "dissatisfied_rounds": _l("不满意次数"), "callback_notes": _l("回访记录"),
    "screening_hint": _l("筛查提示"),
}

# Shown only when set: "no" and zero say nothing the lawyer needs to read.
QUIET_WHEN_FALSE = frozenset({"vulnerable", "wants_referral", "dissatisfied_rounds"})


def choice_labels() -> dict[str, dict[str, str]]:
    """{"category": {"labor": "劳动争议", ...}, "case_status": {...}} from the start form."""
    if "choice_labels" not in g:
        g.choice_labels = {f.id: {o["id"]: o["name"] for o in f.options}
                           for f in consultations.start_form(db.session) if f.options}
    return g.choice_labels


def context_rows(context: dict) -> list[tuple[str, object]]:
    """(label, value) pairs of the context keys a person needs, enum ids as their labels."""
    labels = choice_labels()
    rows = []
    for key, label in CONTEXT_LABELS.items():
        value = context.get(key)
        if value is None or value == "" or (key in QUIET_WHEN_FALSE and not value):
            continue
        rows.append((str(label), labels.get(key, {}).get(value, value)))
    return rows


def _pickers(actor: Actor) -> dict:
    """Field id -> a function giving (id, name) options; ids stay the engine's to check."""
    inst = actor.institution_id
    return {
        "delegate_to": lambda: [c for c in users.choices(db.session, None, inst)
                                if c[0] != actor.id] if inst else [],
        "handler_id": lambda: users.choices(db.session, None, inst) if inst else [],
        "next_lawyer_id": lambda: users.choices(db.session, "lawyer"),
        "expert_id": lambda: users.choices(db.session, "expert"),
        "next_institution_id": lambda: users.institution_choices(db.session),
    }


def html_fields(fields: list[dict], actor: Actor) -> list[dict]:
    """Fields ready for the form macro: each with its widget; number fields holding a
    person's or institution's id get a list to pick from."""
    pickers = _pickers(actor)
    for field in fields:
        if field["id"] in pickers and not field.get("readonly") and not field["options"]:
            field["options"] = [{"id": str(i), "name": f"{name} (#{i})"}
                                for i, name in pickers[field["id"]]()]
        field["widget"] = widget(field)
    return fields
