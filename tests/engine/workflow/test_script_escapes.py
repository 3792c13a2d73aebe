"""The escape corpus (tests/data/script_escapes.txt): every known way out of the sandbox is
refused at deploy naming its element, or fails at run time without effect. None runs."""
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from engine.actor import Actor
from engine.errors import BundleInvalid, InstanceFailed
from engine.models import ProcessInstance, User
from engine.workflow import bundle, instances, versions

CORPUS = Path(__file__).resolve().parents[2] / "data" / "script_escapes.txt"
HEADER = re.compile(r"^## (?P<name>.+?)(?P<expression> \[expression\])?$")

SCRIPT = """<bpmn:scriptTask id="escape" scriptFormat="python">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{source}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escape" />
    <bpmn:sequenceFlow id="f2" sourceRef="escape" targetRef="end" />"""
GATEWAY = """<bpmn:exclusiveGateway id="escape" default="f3">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="escape" />
    <bpmn:sequenceFlow id="f2" sourceRef="escape" targetRef="end">
      <bpmn:conditionExpression>{source}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f3" sourceRef="escape" targetRef="end" />"""
DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                  id="Definitions_escape" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="escape_probe" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    {body}
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming>{more}</bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>
"""


@dataclass
class Escape:
    name: str
    source: str
    expression: bool


def corpus(canary: Path) -> list[Escape]:
    found: list[Escape] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        header = HEADER.match(line)
        if header:
            found.append(Escape(header["name"], "", bool(header["expression"])))
        elif found and not line.startswith("# "):
            found[-1].source += line.replace("CANARY", str(canary)) + "\n"
    return [Escape(e.name, e.source.strip(), e.expression) for e in found]


def diagram(escape: Escape) -> str:
    source = (escape.source.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
    body = (GATEWAY if escape.expression else SCRIPT).format(source=source)
    more = "<bpmn:incoming>f3</bpmn:incoming>" if escape.expression else ""
    return DIAGRAM.format(body=body, more=more)


def refused_at_deploy(escape: Escape) -> str | None:
    """The problem deploy reports on the element, or None if the bundle validates."""
    try:
        bundle.parse({"escape_probe.bpmn": diagram(escape)})
    except BundleInvalid as exc:
        assert [p.element for p in exc.problems] == ["escape"], exc.problems
        return exc.problems[0].reason
    return None


def test_every_known_escape_is_refused_or_fails_harmlessly(session, people, tmp_path, capsys):
    canary = tmp_path / "escaped"
    escapes = corpus(canary)
    assert len(escapes) >= 30
    users_before = session.scalar(select(func.count()).select_from(User))
    refused, failed, ran = [], [], []
    for escape in escapes:
        if refused_at_deploy(escape) is not None:
            refused.append(escape.name)
            continue
        versions.deploy(session, {"escape_probe.bpmn": diagram(escape)})
        try:
            instances.start(session, "escape_probe", {}, Actor.system())
        except InstanceFailed as exc:
            failed.append(f"{escape.name}: {exc.detail}")
        else:
            ran.append(escape.name)
    with capsys.disabled():
        print(f"\nscript escapes: {len(escapes)} tried, {len(refused)} refused at deploy, "
              f"{len(failed)} failed harmlessly at run time, {len(ran)} ran")
        for line in failed:
            print(f"  failed at run time: {line[:150]}")
    assert ran == []
    assert not canary.exists()
    assert session.scalar(select(func.count()).select_from(User)) == users_before
    assert session.scalar(select(func.count()).select_from(ProcessInstance)) == 0


@pytest.mark.parametrize("name", ["module attribute to os (the datetime module used to be "
                                  "exposed)", "generator frame back to the real globals",
                                  "helper's bound arguments hold the database session"])
def test_the_three_reported_escapes_are_in_the_corpus(name, tmp_path):
    assert name in [e.name for e in corpus(tmp_path / "x")]
