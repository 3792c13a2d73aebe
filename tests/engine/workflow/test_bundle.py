"""Deploying bundles: each kind of bad bundle is refused with file, element and reason."""
import pytest
from sqlalchemy import func, select

from engine.errors import BundleInvalid
from engine.models import AuditEvent, ProcessVersion
from engine.workflow import bundle, versions
from tests.factories import DATA, PROCESSES

GOOD = (DATA / "review_loop.bpmn").read_text(encoding="utf-8")


def deploy_text(session, text: str, name: str = "review_loop.bpmn", extra: dict | None = None):
    return versions.deploy(session, {name: text, **(extra or {})})


def problems_of(session, text: str, **kw) -> list:
    with pytest.raises(BundleInvalid) as err:
        deploy_text(session, text, **kw)
    assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 0
    return err.value.problems


def test_deploy_creates_version_once(session):
    first = deploy_text(session, GOOD)
    again = deploy_text(session, GOOD)
    assert [(v.key, v.number, v.created) for v in first] == [("review_loop", 1, True)]
    assert [(v.key, v.number, v.created) for v in again] == [("review_loop", 1, False)]
    assert session.scalar(select(func.count()).select_from(ProcessVersion)) == 1
    actions = session.scalars(select(AuditEvent.action)).all()
    assert actions == ["deploy"]


def test_changed_files_make_a_new_version(session):
    deploy_text(session, GOOD)
    second = deploy_text(session, GOOD.replace('name="审核"', 'name="律师审核"'))
    assert (second[0].number, second[0].created) == (2, True)


def test_deploy_from_folder(session, tmp_path):
    (tmp_path / "a.bpmn").write_text(GOOD, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("ignored")
    assert versions.deploy(session, [tmp_path])[0].key == "review_loop"


def test_missing_path_is_reported(session, tmp_path):
    with pytest.raises(BundleInvalid) as err:
        versions.deploy(session, [tmp_path / "nope.bpmn"])
    assert "nope.bpmn" in str(err.value)


def test_malformed_xml(session):
    [problem] = problems_of(session, GOOD[:500])
    assert problem.file == "review_loop.bpmn"
    assert "XML" in problem.reason


def test_schema_violation(session):
    bad = GOOD.replace("<bpmn:incoming>f1</bpmn:incoming>", "<bpmn:incomming>f1</bpmn:incomming>")
    [problem] = problems_of(session, bad)
    assert problem.file == "review_loop.bpmn"


def test_unknown_lane(session):
    problems = problems_of(session, GOOD.replace('name="值班人员"', 'name="门卫"'))
    assert {(p.element, p.file) for p in problems} >= {("escalate", "review_loop.bpmn")}
    assert any("门卫" in p.reason for p in problems)


def test_user_task_outside_any_lane(session):
    bad = GOOD.replace("<bpmn:flowNodeRef>publish</bpmn:flowNodeRef>", "")
    problems = problems_of(session, bad)
    assert [(p.element, p.reason) for p in problems] == [("publish", "user task is not in a lane")]


def test_unsupported_form_field_type(session):
    problems = problems_of(session, GOOD.replace('label="备注" type="string"',
                                                 'label="备注" type="color"'))
    assert [p.element for p in problems] == ["publish"]
    assert "unsupported type 'color'" in problems[0].reason


def test_form_field_ids_must_be_identifiers(session):
    """An id is written into the task page's HTML: markup in it is refused at deploy."""
    bad = 'x&quot; autofocus onfocus=&quot;alert(1)'
    problems = problems_of(session, GOOD.replace('formField id="note"', f'formField id="{bad}"'))
    assert [p.element for p in problems] == ["publish"]
    assert "must be an identifier" in problems[0].reason


def test_unsupported_constraint(session):
    problems = problems_of(session, GOOD.replace('name="maxlength" config="200"',
                                                 'name="pattern" config="x"'))
    assert "unsupported constraint 'pattern'" in problems[0].reason


@pytest.mark.parametrize("script, reason", [
    ("import os", "import is not allowed"),
    ("rounds = open('/etc/passwd').read()", "'open' is not available in scripts"),
    ("rounds = ().__class__", '"__class__" is an invalid attribute name'),
    ("rounds = 1 +", "SyntaxError"),
])
def test_script_refused_at_deploy(session, script, reason):
    problems = problems_of(session, GOOD.replace("<bpmn:script>rounds = 0</bpmn:script>",
                                                 f"<bpmn:script>{script}</bpmn:script>"))
    assert [p.element for p in problems] == ["init"]
    assert reason in problems[0].reason


def test_bad_condition_expression(session):
    problems = problems_of(session, GOOD.replace('decision == "revise"', "__import__('os')"))
    assert problems[0].element == "decide"
    assert "condition" in problems[0].reason


def test_unquoted_timer_duration(session):
    problems = problems_of(session, GOOD.replace('>"PT1H"<', ">PT1H<"))
    assert problems[0].element == "review_deadline"
    assert 'quote the ISO duration: "PT1H"' in problems[0].reason


def test_unresolved_call_activity(session):
    bad = GOOD.replace(
        '<bpmn:userTask id="publish" name="发布" camunda:assignee="${reviewer_id}">',
        '<bpmn:callActivity id="publish" name="发布" calledElement="missing_process">'
    ).replace("""      <bpmn:outgoing>f8</bpmn:outgoing>
    </bpmn:userTask>""", """      <bpmn:outgoing>f8</bpmn:outgoing>
    </bpmn:callActivity>""")
    problems = problems_of(session, bad)
    assert problems[0].file == "review_loop.bpmn"
    assert "missing_process" in problems[0].reason


def test_unresolved_dmn_reference(session):
    bad = GOOD.replace(
        '<bpmn:scriptTask id="init" name="初始化" scriptFormat="python">',
        '<bpmn:businessRuleTask id="init" name="初始化" camunda:decisionRef="no_such_table">'
    ).replace("""      <bpmn:script>rounds = 0</bpmn:script>
    </bpmn:scriptTask>""", "    </bpmn:businessRuleTask>")
    problems = problems_of(session, bad)
    assert "no_such_table" in problems[0].reason


def test_non_bpmn_file_in_bundle(session):
    problems = problems_of(session, GOOD, extra={"readme.txt": "hello"})
    assert [p.file for p in problems] == ["readme.txt"]


def test_duplicate_process_id_across_files(session):
    problems = problems_of(session, GOOD, extra={"copy.bpmn": GOOD})
    assert any("Duplicate process ID" in p.reason for p in problems)


def test_instances_stay_on_their_version(session, people):
    from engine.workflow import instances
    deploy_text(session, GOOD)
    data = {"reviewer_id": people["lawyer"].id, "citizen_id": people["citizen"].id}
    old = instances.start(session, "review_loop", data, people["citizen"])
    deploy_text(session, GOOD.replace('name="审核"', 'name="律师审核"'))
    new = instances.start(session, "review_loop", data, people["citizen"])
    assert (old.version, new.version) == (1, 2)
    assert instances.get_instance(session, old.id).version == 1


DRAFT = '<bpmn:userTask id="draft" name="起草" camunda:candidateGroups="staff"'
LISTENER = ('<bpmn:extensionElements><camunda:executionListener class="x.Y" event="start" />'
            '</bpmn:extensionElements>')
MAPPING = ('<bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="a">1'
           '</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>')


@pytest.mark.parametrize("change, reason", [
    ((DRAFT, DRAFT + ' camunda:asyncBefore="true"'), "asynchronous continuations"),
    ((DRAFT, DRAFT + ' camunda:asyncAfter="true"'), "camunda:asyncAfter"),
    ((DRAFT, DRAFT + ' camunda:dueDate="${later}"'), "due dates"),
    ((DRAFT, DRAFT + ' camunda:candidateUsers="wang"'), "candidate users"),
    (('<bpmn:scriptTask id="init" name="初始化" scriptFormat="python">',
      f'<bpmn:scriptTask id="init" name="初始化" scriptFormat="python">{LISTENER}'),
     "execution listeners"),
    (('<bpmn:scriptTask id="init" name="初始化" scriptFormat="python">',
      f'<bpmn:scriptTask id="init" name="初始化" scriptFormat="python">{MAPPING}'),
     "input/output mappings"),
])
def test_camunda_features_the_engine_ignores_are_refused_with_the_element(session, change,
                                                                           reason):
    problems = problems_of(session, GOOD.replace(*change, 1))
    element = "draft" if DRAFT in change[0] else "init"
    assert [p.element for p in problems] == [element]
    assert reason in problems[0].reason and "not executed by this engine" in problems[0].reason


def test_harmless_camunda_defaults_deploy(session):
    text = GOOD.replace(DRAFT, DRAFT + ' camunda:asyncBefore="false"', 1).replace(
        'id="review_loop" name="起草与审核"',
        'id="review_loop" name="起草与审核" camunda:versionTag="3" camunda:historyTimeToLive="180"')
    assert deploy_text(session, text)[0].created
def test_a_decision_table_expression_is_checked_at_deploy(session):
    files = bundle.read_files([PROCESSES])
    files["screening.dmn"] = files["screening.dmn"].replace(
        '<text>"reject"</text>', "<text>().__class__.__bases__[0].__subclasses__()</text>", 1)
    with pytest.raises(BundleInvalid) as err:
        versions.deploy(session, files)
    [problem] = {(p.element, p.reason.split(":")[0]) for p in err.value.problems}
    assert problem == ("screen_question", "decision table 'DecisionTable_screening'")
    assert "__class__" in err.value.problems[0].reason


def test_a_condition_saved_on_its_own_lines_is_valid(session):
    text = GOOD.replace('>decision == "revise" and rounds &lt; 3<',
                        '>\n        decision == "revise" and rounds &lt; 3\n      <')
    assert text != GOOD
    assert deploy_text(session, text)  # deployed: no problem reported
