"""Task deadlines read from a deployed version's timers (engine.workflow.process_facts)."""
import hashlib
from datetime import timedelta

import pytest

from engine.models import ProcessVersion
from engine.workflow import versions
from engine.workflow.process_facts import duration_of, hours, process_facts
from tests.factories import DATA, PROCESSES

H = timedelta(hours=1)
DIAGRAM = (DATA / "answer_deadline.bpmn").read_text(encoding="utf-8")


def _facts(text: str):
    """The facts of a version holding one diagram (read from its files, nothing stored)."""
    checksum = hashlib.sha256(text.encode()).hexdigest()
    return process_facts(ProcessVersion(key="answer_deadline", checksum=checksum,
                                        files={"d.bpmn": text}))


def test_the_real_diagrams_deadlines(session):
    [info] = [i for i in versions.deploy(session, [PROCESSES]) if i.key == "consultation"]
    facts = process_facts(versions.version_of(session, info.id))
    # The answer stage's interrupting 5 h timer covers every task inside it, not the 4 h
    # reminder; the callback has only a non-interrupting 2 h deadline; the rating 7 days.
    assert [facts.deadline(t, "consultation") for t in (
        "answer_consultation", "draft_answer", "review_draft", "callback_citizen",
        "rate_answer")] == [5 * H, 5 * H, 5 * H, 2 * H, 7 * 24 * H]
    assert facts.deadline("expert_review") == 24 * H
    assert facts.deadline("handle_overdue", "consultation") == H  # its 1 h escalation


def test_a_timer_on_the_task_itself_and_a_changed_duration():
    assert _facts(DIAGRAM).deadline("answer_consultation", "answer_deadline") == 5 * H
    six = DIAGRAM.replace('"PT5H"', '"PT6H"')
    assert _facts(six).deadline("answer_consultation") == 6 * H


def test_a_deadline_computed_at_run_time_is_not_guessed():
    # Not the 4 h reminder: the deadline is unknown until the instance computes it.
    dynamic = DIAGRAM.replace('"PT5H"', 'deadline_expression')
    assert _facts(dynamic).deadline("answer_consultation") is None


@pytest.mark.parametrize("text,expected", [
    ('"PT5H"', 5 * H), ("'PT90M'", 1.5 * H), ('"P1DT2H"', 26 * H), ('"P2W"', 14 * 24 * H),
    ("PT5H", None), ('"tomorrow"', None), ("", None), (None, None),
    ('"2026-01-01T00:00:00Z"', None),
])
def test_duration_expressions(text, expected):
    assert duration_of(text) == expected


def test_hours_as_people_write_them():
    assert [hours(d) for d in (5 * H, 1.5 * H, 7 * 24 * H, None)] == [5, 1.5, 168, None]
    assert isinstance(hours(5 * H), int)
