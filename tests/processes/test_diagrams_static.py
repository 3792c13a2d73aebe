"""Static checks on processes/*.bpmn and *.dmn: lanes, forms, fixed ids, scripts, timers, lint."""

import ast
import re
import shutil
import subprocess

import pytest
from conftest import PROCESSES, ROOT
from helpers_contract import BUILTINS, HELPERS, NOTIFY_KINDS
from lxml import etree
from SpiffWorkflow.bpmn.specs.defaults import BoundaryEvent, ExclusiveGateway, ScriptTask
from SpiffWorkflow.camunda.specs.user_task import UserTask

LANES = {"咨询人", "驻场律师", "驻场机构人员", "值班人员", "专家组成员", "网络监督人员"}
FIELD_TYPES = {"string", "long", "boolean", "date", "enum"}
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
ISO_DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")

FIXED_TASKS = {
    "answer_stage": {"answer_consultation", "draft_answer", "review_draft"},
    "consultation": {"handle_overdue", "handle_sensitive", "handle_attention", "rate_answer",
                     "callback_citizen"},
    "expert_review_process": {"assign_expert", "expert_review"},
    "referral": {"arrange_referral", "accept_referral", "record_agreement"},
}


def tasks_of(specs, kind):
    return [(pid, ts) for pid, spec in specs.items() for ts in spec.task_specs.values()
            if isinstance(ts, kind)]


def test_fixed_task_ids_are_user_tasks_in_their_process(specs):
    for pid, names in FIXED_TASKS.items():
        for name in names:
            assert isinstance(specs[pid].task_specs.get(name), UserTask), (pid, name)


def test_called_processes_and_decision_resolve(specs):
    assert {"answer_stage", "expert_review_process", "referral"} <= set(specs)
    assert specs["consultation"].task_specs["screen_question"].dmnEngine is not None


def test_user_tasks_have_a_role_lane_and_form_fields(specs):
    user_tasks = tasks_of(specs, UserTask)
    assert len(user_tasks) >= 13
    for pid, task in user_tasks:
        assert task.lane in LANES, (pid, task.name, task.lane)
        assert task.form.fields, (pid, task.name)
        for field in task.form.fields:
            assert field.type in FIELD_TYPES, (task.name, field.id, field.type)
            assert field.label, (task.name, field.id)


def test_delegated_draft_goes_to_staff_and_review_back_to_the_lawyer(specs):
    stage = specs["answer_stage"].task_specs
    assert stage["draft_answer"].lane == "驻场机构人员"
    assert stage["answer_consultation"].lane == stage["review_draft"].lane == "驻场律师"
    assert specs["consultation"].task_specs["rate_answer"].lane == "咨询人"


def test_answer_form_matches_the_contract(specs):
    form = {f.id: f for f in specs["answer_stage"].task_specs["answer_consultation"].form.fields}
    assert [o.id for o in form["decision"].options] == ["answer", "refuse", "delegate",
                                                        "expert_review"]
    assert form["answer_text"].get_validation("maxlength") == "5000"
    assert {"refuse_reason", "delegate_to", "sensitive", "attention"} <= set(form)


@pytest.mark.parametrize("path", sorted(PROCESSES.glob("*.bpmn")), ids=lambda p: p.name)
def test_every_flow_node_sits_in_a_role_lane(path):
    doc = etree.parse(str(path))
    refs = doc.iterfind(".//bpmn:flowNodeRef", NS)
    lanes = {ref.text: ref.getparent().get("name") for ref in refs}
    assert set(lanes.values()) <= LANES
    kinds = ("task", "userTask", "scriptTask", "businessRuleTask", "callActivity", "startEvent",
             "endEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway")
    for kind in kinds:
        for node in doc.iterfind(f".//bpmn:{kind}", NS):
            assert node.get("id") in lanes, (path.name, node.get("id"))
    # An embedded subprocess must stay out of every lane: SpiffWorkflow would give its lane
    # to all the tasks inside, overriding their own.
    for node in doc.iterfind(".//bpmn:subProcess", NS):
        assert node.get("id") not in lanes


def check_expression(source: str, mode: str) -> set[str]:
    """Parses a script or condition and returns the names it calls; fails on anything
    outside the whitelist (imports, attributes, dunder names, unknown calls)."""
    tree = ast.parse(source, mode=mode)
    called = set()
    for node in ast.walk(tree):
        assert not isinstance(node, ast.Import | ast.ImportFrom | ast.Attribute | ast.Lambda
                              | ast.FunctionDef | ast.ClassDef | ast.Global | ast.Delete)
        if isinstance(node, ast.Name):
            assert not node.id.startswith("_"), node.id
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name), ast.dump(node)
            assert node.func.id in HELPERS or node.func.id in BUILTINS, node.func.id
            called.add(node.func.id)
    if mode == "exec":
        for stmt in tree.body:
            assert isinstance(stmt, ast.Assign | ast.Expr), ast.dump(stmt)
    return called


def test_scripts_call_only_contract_helpers(specs):
    used = set()
    scripts = tasks_of(specs, ScriptTask)
    assert scripts
    for _pid, task in scripts:
        lines = task.script.strip().splitlines()
        assert 1 <= len(lines) <= 5, task.name
        used |= check_expression(task.script, "exec")
        for call in re.findall(r'notify(?:_role|_institution)?\([^,]+, "(\w+)"', task.script):
            assert call in NOTIFY_KINDS, (task.name, call)
    # keep the contract honest: every helper it lists is used by some diagram or decision table
    tables = " ".join(p.read_text(encoding="utf-8") for p in PROCESSES.glob("*.dmn"))
    used |= {name for name in HELPERS if f"{name}(" in tables}
    assert used >= set(HELPERS), set(HELPERS) - used


def test_gateway_conditions_are_plain_expressions(specs):
    count = 0
    for _pid, gateway in tasks_of(specs, ExclusiveGateway):
        for condition, _target in gateway.cond_task_specs:
            if condition is not None:
                check_expression(condition.args[0], "eval")
                count += 1
    assert count >= 15


def test_timers_are_quoted_iso_durations(specs):
    timers = {}
    for _pid, event in tasks_of(specs, BoundaryEvent):
        expression = event.event_definition.expression
        value = ast.literal_eval(expression)  # quoted: a Python string literal
        assert isinstance(value, str) and ISO_DURATION.match(value), (event.name, expression)
        timers[event.name] = (value, event.cancel_activity)
    assert timers == {
        "stage_reminder": ("PT4H", False),
        "stage_overdue": ("PT5H", True),
        "feedback_timeout": ("P7D", True),
        "callback_deadline": ("PT2H", False),
        "screening_reminder": ("PT2H", False),
        "refusal_reminder": ("PT2H", False),
        "assign_deadline": ("PT2H", False),
        "release_reminder": ("PT4H", False),
        "expert_deadline": ("PT24H", True),
        "accept_deadline": ("PT24H", False),
        "agreement_deadline": ("PT72H", False),
        "accept_timeout": ("PT48H", True),
        "manual_reminder": ("PT2H", False),
        "overdue_reminder": ("PT1H", False),
        "sensitive_reminder": ("PT4H", False),
        "attention_reminder": ("PT24H", False),
        "arrange_reminder": ("PT24H", False),
        "reassign_reminder": ("PT24H", False),
    }


def test_bpmnlint_reports_nothing():
    if not (ROOT / "node_modules" / "bpmnlint").is_dir() or not shutil.which("npx"):
        pytest.skip("node_modules missing: run `npm ci` to lint the diagrams")
    files = sorted(str(p.relative_to(ROOT)) for p in PROCESSES.glob("*.bpmn"))
    result = subprocess.run(["npx", "--no-install", "bpmnlint", *files], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_no_form_option_shares_an_element_id():
    """SpiffWorkflow's parser finds elements by id anywhere in the file: an enum option with
    the id of a task (say "assign") makes the task unparseable."""
    for path in PROCESSES.glob("*.bpmn"):
        tree = etree.parse(str(path))
        options = {v.get("id") for v in tree.iter("{http://camunda.org/schema/1.0/bpmn}value")}
        elements = {e.get("id") for e in tree.iter()
                    if e.get("id") and e.tag.startswith("{http://www.omg.org/spec/BPMN")}
        assert options.isdisjoint(elements), (path.name, options & elements)


# User tasks that need no deadline of their own, and why.
NO_DEADLINE: dict[str, str] = {}


def test_every_user_task_has_a_deadline_or_a_reason():
    """No dead ends: a timer on the task or on a subprocess around it, else a stated reason."""
    bpmn = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    missing = []
    for path in sorted(PROCESSES.glob("*.bpmn")):
        tree = etree.parse(str(path))
        timed = {b.get("attachedToRef") for b in tree.iter(f"{bpmn}boundaryEvent")
                 if b.find(f"{bpmn}timerEventDefinition") is not None}
        for task in tree.iter(f"{bpmn}userTask"):
            around = {a.get("id") for a in task.iterancestors(f"{bpmn}subProcess")}
            if task.get("id") not in timed and not around & timed:
                missing.append(f"{path.name}:{task.get('id')}")
    assert [m for m in missing if m.split(":")[1] not in NO_DEADLINE] == []
