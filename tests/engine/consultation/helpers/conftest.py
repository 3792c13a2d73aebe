"""Fixtures for calling domain helpers directly, as a diagram script would."""
from types import SimpleNamespace

import pytest

from engine.uow import transaction
from engine.workflow.script_helpers import ScriptContext, bind
from tests.factories import add_consultation


@pytest.fixture
def case(session, world):
    return add_consultation(session, world, category="labor")


@pytest.fixture
def run(session, world):
    """Call helpers as a diagram script would, in one committed transaction."""
    def call(name, *args, actor="duty1"):
        ctx = ScriptContext(session, SimpleNamespace(id=None, version_id=None, business_key=None),
                            world[actor])
        with transaction(session):
            return bind(ctx)[name](*args)
    return call
