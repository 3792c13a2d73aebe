"""Shared fixtures: the diagrams in processes/ parsed with the Camunda parser."""

from pathlib import Path

import pytest
from SpiffWorkflow.camunda.parser.CamundaParser import CamundaParser

ROOT = Path(__file__).resolve().parents[2]
PROCESSES = ROOT / "processes"


def make_parser() -> CamundaParser:
    parser = CamundaParser()
    parser.add_bpmn_files(sorted(str(p) for p in PROCESSES.glob("*.bpmn")))
    parser.add_dmn_files(sorted(str(p) for p in PROCESSES.glob("*.dmn")))
    return parser


@pytest.fixture(scope="session")
def parser() -> CamundaParser:
    return make_parser()


@pytest.fixture(scope="session")
def specs(parser):
    """Every process spec reachable from consultation, by id (embedded subprocesses included)."""
    found = {"consultation": parser.get_spec("consultation")}
    found.update(parser.get_subprocess_specs("consultation"))
    return found
