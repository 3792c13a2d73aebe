"""Camunda features a modeler offers but this engine does not execute, refused at deploy.

Camunda Modeler and the Camunda properties panel write these attributes and extension
elements; SpiffWorkflow parses the diagram without them and the process would quietly behave
otherwise than its designer sees (no asynchronous continuation, no listener, no mapping).
Harmless defaults are let through: `camunda:in/out variables="all"` on a call activity
(SpiffWorkflow passes all data both ways anyway), `camunda:exclusive="true"`, and metadata
such as `camunda:versionTag` or `camunda:historyTimeToLive`.
"""
from lxml import etree

from engine.errors import BundleProblem

CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
_C = f"{{{CAMUNDA_NS}}}"

ATTRIBUTES = {
    "asyncBefore": "asynchronous continuations (camunda:asyncBefore)",
    "asyncAfter": "asynchronous continuations (camunda:asyncAfter)",
    "jobPriority": "job priorities (camunda:jobPriority)",
    "taskPriority": "task priorities (camunda:taskPriority)",
    "priority": "user task priorities (camunda:priority)",
    "candidateUsers": "candidate users (camunda:candidateUsers; use candidate groups)",
    "dueDate": "due dates (camunda:dueDate; use a boundary timer)",
    "followUpDate": "follow-up dates (camunda:followUpDate)",
    "class": "Java delegates (camunda:class)",
    "delegateExpression": "delegate expressions (camunda:delegateExpression)",
    "expression": "service expressions (camunda:expression)",
    "type": "external tasks (camunda:type)",
    "topic": "external tasks (camunda:topic)",
    "resultVariable": "result variables (camunda:resultVariable; assign in the script)",
    "initiator": "the initiator variable (camunda:initiator)",
    "formHandlerClass": "form handler classes (camunda:formHandlerClass)",
    "candidateStarterGroups": "candidate starter groups (camunda:candidateStarterGroups)",
    "candidateStarterUsers": "candidate starter users (camunda:candidateStarterUsers)",
    "calledElementBinding": "called element bindings (the latest version is always called)",
    "calledElementVersion": "called element versions (the latest version is always called)",
    "decisionRefBinding": "decision bindings (the deployed table is always used)",
    "decisionRefVersion": "decision versions (the deployed table is always used)",
    "caseRef": "CMMN cases (camunda:caseRef)",
}
HARMLESS_VALUES = {"asyncBefore": "false", "asyncAfter": "false", "calledElementBinding": "latest",
                   "decisionRefBinding": "latest"}
ELEMENTS = {
    "executionListener": "execution listeners",
    "taskListener": "task listeners",
    "inputOutput": "input/output mappings",
    "connector": "connectors",
    "field": "field injections",
    "failedJobRetryTimeCycle": "retry time cycles",
    "errorEventDefinition": "external task error events",
}


def unsupported(root: etree._Element, filename: str) -> list[BundleProblem]:
    """Every element of a BPMN document that uses a Camunda feature the engine ignores."""
    problems = []
    for element in root.iter(etree.Element):
        tag = element.tag if isinstance(element.tag, str) else ""
        for name, value in element.attrib.items():
            local = name[len(_C):] if name.startswith(_C) else None
            if local in ATTRIBUTES and HARMLESS_VALUES.get(local) != value.strip():
                problems.append(_problem(filename, element, ATTRIBUTES[local]))
        if not tag.startswith(_C):
            continue
        local = tag[len(_C):]
        if local in ELEMENTS:
            problems.append(_problem(filename, element, ELEMENTS[local]))
        elif local in ("in", "out") and set(element.attrib) != {"variables"}:
            problems.append(_problem(filename, element, f"camunda:{local} variable mappings "
                                     '(only variables="all": all data is passed)'))
    return list(dict.fromkeys(problems))


def _problem(filename: str, element, what: str) -> BundleProblem:
    owner = element
    while owner is not None and owner.get("id") is None:
        owner = owner.getparent()
    return BundleProblem(filename, owner.get("id") if owner is not None else None,
                         f"{what}: not executed by this engine; remove it")
