"""General helpers: `matches` finds hints in text, and a pattern that backtracks for ever is
stopped within its time limit instead of holding the thread."""
import time

import pytest

from engine.errors import ScriptLimitExceeded
from engine.workflow.script_helpers import ScriptContext, bind


def matches(text, pattern):
    return bind(ScriptContext(None, None, None))["matches"](text, pattern)


def test_matches_finds_a_hint_in_the_question():
    assert matches("案件已经立案，下周开庭", "(已经|已)[^，。；]{0,4}(立案|开庭)")
    assert not matches("公司拖欠工资怎么办", "(已经|已)[^，。；]{0,4}(立案|开庭)")


def test_a_catastrophic_pattern_is_stopped():
    began = time.monotonic()
    with pytest.raises(ScriptLimitExceeded):
        matches("a" * 5000 + "!", "(a+)+$")
    assert time.monotonic() - began < 60  # the limit is 1 s; this only proves "no hang"
