"""Fixtures for the oversight tests: a supervisor, the supervision diagram (and a small
answering one) deployed, a lawyer's task."""
import pytest

from engine.actor import Actor
from engine.models import Consultation, User
from engine.workflow import instances, versions
from tests.factories import DATA, PROCESSES, QUESTION


@pytest.fixture
def supervisor(session, people) -> Actor:
    user = User(username="supervisor", role="supervisor", display_name="监督员")
    session.add(user)
    session.commit()
    return Actor.of(user)


@pytest.fixture
def supervision_diagrams(session):
    versions.deploy(session, [PROCESSES / "supervision.bpmn", DATA / "assigned_answer.bpmn"])


@pytest.fixture
def answering(session, people, supervision_diagrams) -> Consultation:
    """A consultation whose answer task is assigned to `lawyer`."""
    started = instances.start(session, "assigned_answer", {"lawyer_id": people["lawyer"].id},
                              people["citizen"], business_key="c-1")
    row = Consultation(title=QUESTION["title"], question=QUESTION["question"], category="labor",
                       lawyer_id=people["lawyer"].id, instance_id=started.id,
                       citizen_id=people["citizen"].id)
    session.add(row)
    session.commit()
    return row
