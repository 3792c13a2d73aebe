"""The form on a process's start event (`camunda:formData`), which the Camunda parser skips."""
from dataclasses import dataclass

from lxml import etree
from SpiffWorkflow.camunda.specs.user_task import EnumFormField, Form, FormField
from sqlalchemy.orm import Session

from engine.models import ProcessVersion
from engine.uow import read_only
from engine.workflow import forms
from engine.workflow.versions import latest_version

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "camunda": "http://camunda.org/schema/1.0/bpmn"}
_C = "{" + NS["camunda"] + "}"


def _field(node) -> FormField:
    field = EnumFormField() if node.get("type") == "enum" else FormField()
    field.id, field.type = node.get("id"), node.get("type")
    field.label, field.default_value = node.get("label"), node.get("defaultValue")
    for child in node:
        if child.tag == f"{_C}value" and isinstance(field, EnumFormField):
            field.add_option(child.get("id"), child.get("name"))
        elif child.tag == f"{_C}properties":
            for prop in child:
                field.add_property(prop.get("id"), prop.get("value"))
        elif child.tag == f"{_C}validation":
            for constraint in child:
                field.add_validation(constraint.get("name"), constraint.get("config"))
    return field


_cache: dict[tuple[str, str], Form | None] = {}


def _parse(key: str, files: dict[str, str]) -> Form | None:
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        root = etree.fromstring(text.encode("utf-8"))
        nodes = root.xpath(f"//bpmn:process[@id='{key}']/bpmn:startEvent"
                           "/bpmn:extensionElements/camunda:formData/camunda:formField",
                           namespaces=NS)
        if nodes:
            form = Form()
            for node in nodes:
                form.add_field(_field(node))
            return form
    return None


def start_event_form(version: ProcessVersion) -> Form | None:
    """The start event's form of a deployed version, or None when it has none."""
    cache_key = (version.key, version.checksum)
    if cache_key not in _cache:
        _cache[cache_key] = _parse(version.key, dict(version.files))
    return _cache[cache_key]


def start_fields(version: ProcessVersion) -> list[forms.FieldInfo]:
    """The start form's fields as plain data (none when the start event has no form)."""
    form = start_event_form(version)
    return forms.describe(form) if form is not None else []


def validate_start_data(version: ProcessVersion, data: dict) -> dict:
    """`data` cleaned by the start form's schema, or InvalidFormData with per-field messages
    (the same rules as a task form: required, lengths, options, types)."""
    return forms.validate_data(start_event_form(version) or Form(), data)


@dataclass(frozen=True)
class StartForm:
    """A process's start form as the web and the API show it."""

    key: str
    version: int  # the deployed version it was read from
    fields: list[forms.FieldInfo]


def start_form(session: Session, key: str) -> StartForm:
    """Use case: the start form of the latest deployed version of process `key`."""
    with read_only(session):
        version = latest_version(session, key)
        return StartForm(key, version.number, start_fields(version))
