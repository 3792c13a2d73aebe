"""camunda:formData for the generated diagrams: one Field per camunda:formField."""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr


@dataclass
class Field:
    """One camunda:formField."""

    id: str
    type: str
    label: str
    required: bool = False
    maxlength: int | None = None
    minlength: int | None = None
    min: int | None = None
    multiline: bool = False
    readonly: bool = False
    values: list[tuple[str, str]] = field(default_factory=list)

    def xml(self) -> str:
        props, rules = [], []
        if self.multiline:
            props.append('<camunda:property id="multiline" value="true" />')
        if self.required:
            rules.append('<camunda:constraint name="required" />')
        if self.readonly:
            rules.append('<camunda:constraint name="readonly" />')
        for name in ("minlength", "maxlength", "min"):
            value = getattr(self, name)
            if value is not None:
                rules.append(f'<camunda:constraint name="{name}" config="{value}" />')
        inner = [f'<camunda:value id="{v}" name={quoteattr(n)} />' for v, n in self.values]
        if props:
            inner.append("<camunda:properties>" + "".join(props) + "</camunda:properties>")
        if rules:
            inner.append("<camunda:validation>" + "".join(rules) + "</camunda:validation>")
        head = f'<camunda:formField id="{self.id}" label={quoteattr(self.label)} type="{self.type}"'
        return head + (">" + "".join(inner) + "</camunda:formField>" if inner else " />")


def form_xml(fields) -> str:
    return "<camunda:formData>" + "".join(f.xml() for f in fields) + "</camunda:formData>"
