"""Consultation statuses: one enum, and the diagrams set only statuses it knows."""
import re

from engine.consultation.status import FINISHED, OPEN, Status
from tests.factories import PROCESSES

SET_STATUS = re.compile(r'set_status\(\s*\w+\s*,\s*"([^"]*)"\s*\)')


def test_every_status_a_diagram_sets_is_in_the_enum():
    named = {m for path in PROCESSES.glob("*.bpmn")
             for m in SET_STATUS.findall(path.read_text(encoding="utf-8"))}
    assert named and named <= set(Status), named - set(Status)


def test_open_and_finished_statuses_split_the_enum():
    assert set(OPEN) | set(FINISHED) == set(Status) and not set(OPEN) & set(FINISHED)
    assert Status.ANSWERED == "answered" and f"{Status.CLOSED}" == "closed"
