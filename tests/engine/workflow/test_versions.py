"""Validating a bundle without storing it, and finding which file holds which process."""
from sqlalchemy import func, select

from engine.models import ProcessVersion
from engine.workflow import versions
from engine.workflow.bundle import process_files
from tests.factories import DATA, PROCESSES

V1 = (DATA / "migration_v1.bpmn").read_text(encoding="utf-8")


def test_validate_names_the_element_and_stores_nothing(session):
    broken = V1.replace('name="lawyer"', 'name="nobody"', 1)
    assert broken != V1
    problems = versions.validate({"review.bpmn": broken})
    assert problems and all(p.file == "review.bpmn" for p in problems)
    assert any(p.element and "not a known role" in p.reason for p in problems)
    assert versions.validate({"review.bpmn": V1}) == []
    assert session.scalar(select(func.count(ProcessVersion.id))) == 0


def test_validate_reports_broken_xml():
    [problem] = versions.validate({"review.bpmn": V1[:200]})
    assert "well-formed" in problem.reason and problem.element is None


def test_process_files_maps_processes_and_subprocesses_to_their_file():
    files = {p.name: p.read_text(encoding="utf-8") for p in PROCESSES.iterdir()}
    found = process_files(files)
    assert {k: v for k, v in found.items() if k in ("consultation", "expert_review_process",
                                                   "referral", "answer_stage")} == {
        "consultation": "consultation.bpmn", "expert_review_process": "expert_review.bpmn",
        "referral": "referral.bpmn", "answer_stage": "consultation.bpmn"}
