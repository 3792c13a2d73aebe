"""shown_when on a form field: read from the diagram, described to the UI, checked on deploy."""
import dataclasses

from engine.workflow import forms, versions
from tests.engine.workflow.test_migration_consultation import PROCESSES, load_specs


def _answer_form(consultation_text: str):
    spec, subprocesses = load_specs(consultation_text)
    for sub in [spec, *subprocesses.values()]:
        if "answer_consultation" in sub.task_specs:
            return sub.task_specs["answer_consultation"].form
    raise AssertionError("answer_consultation not found")


def _files(text: str) -> dict[str, str]:
    files = {p.name: p.read_text("utf-8") for p in PROCESSES.iterdir()
             if p.suffix in (".bpmn", ".dmn")}
    files["consultation.bpmn"] = text
    return files


def test_the_lawyer_s_form_says_which_decision_needs_which_field():
    form = _answer_form((PROCESSES / "consultation.bpmn").read_text("utf-8"))
    rules = {f.id: f.shown_when for f in forms.describe(form)}
    assert rules["decision"] is None and rules["sensitive"] is None
    assert rules["answer_text"] == {"field": "decision", "values": ["answer", "expert_review"]}
    assert rules["refuse_reason"] == {"field": "decision", "values": ["refuse"]}
    assert rules["delegate_to"] == {"field": "decision", "values": ["delegate"]}
    assert forms.check_form(form) == []


def test_a_rule_naming_a_choice_that_does_not_exist_is_refused_on_deploy():
    text = (PROCESSES / "consultation.bpmn").read_text("utf-8")
    wrong_value = text.replace('value="decision=refuse"', 'value="decision=decline"')
    wrong_field = text.replace('value="decision=refuse"', 'value="answer_text=refuse"')
    assert any("does not offer" in why for why in forms.check_form(_answer_form(wrong_value)))
    assert any("enum field" in why for why in forms.check_form(_answer_form(wrong_field)))
    problems = versions.validate(_files(wrong_value))
    assert any("shown_when" in str(p) for p in problems)


def test_a_fields_dict_is_a_copy_a_page_may_change():
    field = forms.FieldInfo("decision", "处理方式", "enum",
                            options=[{"id": "answer", "name": "解答"}],
                            shown_when={"field": "kind", "values": ["a"]},
                            properties={"multiline": "true"}, minlength=2)
    shown = field.as_dict()
    assert shown == dataclasses.asdict(field)  # every field, as `asdict` gives them
    shown["options"][0]["name"] = "改了"
    shown["shown_when"]["values"].append("b")
    shown["properties"]["multiline"] = "false"
    assert (field.options[0]["name"], field.shown_when["values"],
            field.properties["multiline"]) == ("解答", ["a"], "true")
