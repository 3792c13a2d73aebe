"""Task forms from `camunda:formData`: a plain description for the UI and a server-side schema.

Every completion, from the web form or the JSON API, is validated here against the same
marshmallow schema, built once per task spec.
"""
import re
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from engine.errors import N_, InvalidFormData, Message

TYPES = {"string", "long", "boolean", "date", "enum"}
# A field's id names a process variable and is written into HTML attributes: identifiers only.
FIELD_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
CONSTRAINTS = {"required", "readonly", "minlength", "maxlength", "min", "max"}
MSG = {
    "required": N_("必须填写此项"),
    "null": N_("必须填写此项"),
    "blank": N_("不能为空"),
    "invalid": N_("格式不正确"),
    "unknown": N_("未知字段"),
    "choice": N_("请选择给定的选项之一"),
    "length": N_("长度应在 {min} 到 {max} 个字符之间"),
    "max_length": N_("最多 {max} 个字符"),
    "min_length": N_("至少 {min} 个字符"),
    "range": N_("应在 {min} 到 {max} 之间"),
}


@dataclass
class FieldInfo:
    """One form field as the web and the API show it."""

    id: str
    label: str
    type: str
    required: bool = False
    readonly: bool = False
    multiline: bool = False
    options: list[dict] = field(default_factory=list)
    default: str | None = None
    minlength: int | None = None
    maxlength: int | None = None
    min: int | None = None
    max: int | None = None
    # From the property shown_when="decision=answer,expert_review": the field is needed only
    # when that choice has one of those values (the page hides it otherwise).
    shown_when: dict | None = None
    properties: dict = field(default_factory=dict)  # every camunda:property, passed through

    def as_dict(self) -> dict:
        """A copy the caller may change: `asdict`'s result, without its recursive deep copy
        (every field of every task page went through it)."""
        out = {f.name: getattr(self, f.name) for f in dataclass_fields(self)}
        out["options"] = [dict(o) for o in self.options]
        out["properties"] = dict(self.properties)
        if self.shown_when is not None:  # {"field": name, "values": [...]}
            out["shown_when"] = {**self.shown_when, "values": list(self.shown_when["values"])}
        return out


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _flag(f, name: str) -> bool:
    # FormField.has_validation() is False for a config-less <constraint name="required"/>.
    return any(v.name == name for v in f.validation)


def shown_when(value: str | None) -> dict | None:
    """`field=v1,v2` as {"field": field, "values": [v1, v2]}; None when absent or malformed."""
    name, sep, values = (value or "").partition("=")
    chosen = [v.strip() for v in values.split(",") if v.strip()]
    if not sep or not name.strip() or not chosen:
        return None
    return {"field": name.strip(), "values": chosen}


def _shown_when_problems(form) -> list[str]:
    enums = {f.id: {o.id for o in f.options} for f in form.fields if f.type == "enum"}
    problems = []
    for f in form.fields:
        raw = f.get_property("shown_when")
        if raw is None:
            continue
        rule = shown_when(raw)
        if rule is None or rule["field"] not in enums:
            problems.append(f"form field '{f.id}' shown_when must be 'choice=value,...' naming "
                            "an enum field of the same form")
        elif set(rule["values"]) - enums[rule["field"]]:
            problems.append(f"form field '{f.id}' shown_when names values that "
                            f"'{rule['field']}' does not offer")
    return problems


def check_form(form) -> list[str]:
    """Reasons a form cannot be served (unsupported types, constraints or shown_when)."""
    problems = _shown_when_problems(form)
    for f in form.fields:
        if not FIELD_ID.match(f.id or ""):
            problems.append(f"form field id {f.id!r} must be an identifier "
                            "(letters, digits, _; at most 64)")
        if f.type not in TYPES:
            problems.append(f"form field '{f.id}' has unsupported type '{f.type}'")
        for v in f.validation:
            if v.name not in CONSTRAINTS:
                problems.append(f"form field '{f.id}' has unsupported constraint '{v.name}'")
            elif v.name not in ("required", "readonly") and _int(v.config) is None:
                problems.append(f"form field '{f.id}' constraint '{v.name}' needs a number")
        if f.type == "enum" and not f.options:
            problems.append(f"enum form field '{f.id}' has no values")
    return problems


def describe(form) -> list[FieldInfo]:
    """The form's fields as plain data."""
    result = []
    for f in form.fields:
        info = FieldInfo(id=f.id, label=f.label or f.id, type=f.type,
                         required=_flag(f, "required"),
                         readonly=_flag(f, "readonly"),
                         multiline=(f.get_property("multiline") or "").lower() == "true",
                         default=f.default_value or None,
                         shown_when=shown_when(f.get_property("shown_when")),
                         properties={p.id: p.value for p in f.properties})
        for name in ("minlength", "maxlength", "min", "max"):
            setattr(info, name, _int(f.get_validation(name)))
        if f.type == "enum":
            info.options = [{"id": o.id, "name": o.name or o.id} for o in f.options]
        result.append(info)
    return result


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError(MSG["blank"])


def _no_nul(value: str) -> None:
    # PostgreSQL text cannot hold NUL; no person types one, so refuse it on every backend.
    if "\x00" in value:
        raise ValidationError(MSG["invalid"])


class _Length(validate.Length):
    """marshmallow's, its message keeping its template for translation (errors.Message)."""

    def _format_error(self, value, message: str) -> Message:
        return Message(self.error or message, min=self.min, max=self.max)


class _Range(validate.Range):
    """marshmallow's, its message keeping its template for translation (errors.Message)."""

    def _format_error(self, value, message: str) -> Message:
        return Message(self.error or message, min=self.min, max=self.max)


def _field(info: FieldInfo) -> fields.Field:
    validators = []
    kwargs = {"required": info.required, "error_messages": MSG}
    if info.type in ("string", "enum"):
        validators.append(_no_nul)
        if info.required:
            validators.append(_not_blank)
        if info.minlength is not None or info.maxlength is not None:
            key = "length" if None not in (info.minlength, info.maxlength) else (
                "max_length" if info.maxlength is not None else "min_length")
            validators.append(_Length(min=info.minlength, max=info.maxlength, error=MSG[key]))
        if info.type == "enum":
            validators.append(validate.OneOf([o["id"] for o in info.options], error=MSG["choice"]))
        return fields.String(validate=validators, allow_none=not info.required, **kwargs)
    if info.type == "long":
        if info.min is not None or info.max is not None:
            validators.append(_Range(min=info.min, max=info.max, error=MSG["range"]))
        return fields.Integer(strict=False, validate=validators, allow_none=not info.required,
                              **kwargs)
    if info.type == "boolean":
        if not info.required:
            kwargs["load_default"] = False
        return fields.Boolean(**kwargs)
    return fields.Date(allow_none=not info.required, **kwargs)


def build_schema(form) -> Schema:
    """A marshmallow schema for the form's writable fields (built once per task spec)."""
    schema = form.__dict__.get("_fw_schema")
    if schema is None:
        infos = [i for i in describe(form) if not i.readonly]
        schema_cls = Schema.from_dict({i.id: _field(i) for i in infos}, name="TaskForm")
        schema = form.__dict__["_fw_schema"] = schema_cls(unknown=RAISE)
    return schema


def _shape(form) -> tuple[dict[str, str], frozenset[str], tuple[str, ...]]:
    """Each field's type, the read-only fields and the writable ones (once per task spec)."""
    shape = form.__dict__.get("_fw_shape")
    if shape is None:
        infos = describe(form)
        shape = form.__dict__["_fw_shape"] = (
            {i.id: i.type for i in infos}, frozenset(i.id for i in infos if i.readonly),
            tuple(i.id for i in infos if not i.readonly))
    return shape


def validate_data(form, data: dict) -> dict:
    """Clean `data` for the form or raise InvalidFormData with per-field messages.

    The result has every writable field: one left empty is None (a checkbox False), so that
    gateway conditions and scripts can read any field by name. Read-only fields are shown,
    never taken from the submission.
    """
    if not isinstance(data, dict):
        raise InvalidFormData("表单数据格式不正确", {"_schema": [N_("应为对象")]})
    types, readonly, writable = _shape(form)
    # HTML forms send "" for an empty optional number, date or choice: that means "not given".
    cleaned = {k: v for k, v in data.items()
               if k not in readonly and not (v == "" and types.get(k) not in ("string",))}
    try:
        loaded = build_schema(form).load(cleaned)
    except ValidationError as exc:
        errors = {k: (v if isinstance(v, list) else [str(v)]) for k, v in exc.messages.items()}
        errors = {k: [MSG["unknown"] if m == "Unknown field." else m for m in v]
                  for k, v in errors.items()}
        raise InvalidFormData("表单填写有误", errors) from None
    result = dict.fromkeys(writable)
    result.update({k: (v.isoformat() if isinstance(v, date) else v) for k, v in loaded.items()})
    return result
