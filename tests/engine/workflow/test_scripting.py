"""The sandbox: what diagram scripts can still do with task data, and what they cannot reach."""
from datetime import datetime

import pytest

from engine.errors import ScriptLimitExceeded, ScriptNotAllowed
from engine.workflow.limits import Limits, StepBudget
from engine.workflow.script_guards import SandboxError
from engine.workflow.script_helpers import ScriptContext, bind, helper, shared
from engine.workflow.scripting import RestrictedEnvironment


def helper_double(x):
    return 2 * x


@pytest.fixture
def env():
    return RestrictedEnvironment({"double": helper_double})


def test_task_data_work_as_in_the_diagrams(env):
    data = {"items": [3, 1, 2], "case": {"status": "none", "tags": ["labor"]}, "n": 0}
    env.execute("total = double(sum(items))\n"
                "first = sorted(items)[0]\n"
                "labels = [f'{i:>3}' for i in items if i > 1]\n"
                "status = case['status'].upper()\n"
                "case['seen'] = True\n"
                "tags = case.get('tags', []) + ['x']\n"
                "pairs = {k: v for k, v in zip(['a', 'b'], items)}\n"
                "while n < 3:\n    n += 1\n"
                "for a, b in [(1, 2)]:\n    c = a + b\n", data)
    assert (data["total"], data["first"], data["labels"]) == (12, 1, ["  3", "  2"])
    assert (data["status"], data["case"]["seen"], data["tags"]) == ("NONE", True, ["labor", "x"])
    assert (data["pairs"], data["n"], data["c"]) == ({"a": 3, "b": 1}, 3, 3)
    assert env.evaluate("len([i for i in items if i > x])", {"items": [1, 5, 9], "x": 2}) == 2


def test_dates_and_durations(env):
    data = {"asked": datetime(2026, 3, 2, 9, 0)}
    env.execute("due = asked + timedelta(hours=5)\n"
                "day = due.date().isoformat()\n"
                "late = datetime(2026, 3, 2, 15, 0) > due\n"
                "hours = (due - asked).total_seconds() / 3600\n", data)
    assert data["due"] == datetime(2026, 3, 2, 14, 0)
    assert (data["day"], data["late"], data["hours"]) == ("2026-03-02", True, 5.0)


@pytest.mark.parametrize("script, message", [
    ("import os", "import is not allowed"),
    ("from os import path", "import is not allowed"),
    ("f = open('/etc/passwd')", "'open' is not available"),
    ("x = __import__('os')", '"__import__" is an invalid variable name'),
    ("x = ().__class__", '"__class__" is an invalid attribute name'),
    ("x = double.__globals__", '"__globals__" is an invalid attribute name'),
    ("x = getattr(double, 'x')", "'getattr' is not available"),
    ("x = type(1)", "'type' is not available"),
    ("x = eval('1')", "'eval' is not available"),
    ("x = __builtins__", '"__builtins__" is an invalid variable name'),
    ("class A: pass", "class is not allowed"),
    ("f = lambda: 1", "lambda is not allowed"),
    ("try:\n    x = 1\nexcept Exception:\n    pass", "try is not allowed"),
    ("g = (x for x in [1]).gi_frame", '"gi_frame" is a restricted name'),
    ("x = f'{1:>1000000000}'", "a format width or precision of 1000 or more"),
    ("x = unknown_function(1)", "'unknown_function' is not an allowed function"),
])
def test_refused_when_compiled(env, script, message):
    with pytest.raises(ScriptNotAllowed) as err:
        env.execute(script, {})
    assert message in err.value.message


@pytest.mark.parametrize("script", [
    "x = datetime.sys",  # a class exposes only its whitelisted attributes
    "x = double.args",  # a helper has no readable attribute at all
    "x = 'a{0}'.format(1)",
    "x = items.copy.x",  # nor does a method
    "x = str.mro()",
    "x = 'abc' % ()",
    "x = sum([[1], [2]], [])",
])
def test_refused_when_run(env, script):
    with pytest.raises(SandboxError):
        env.execute(script, {"items": [1]})


@pytest.mark.parametrize("script", [
    "while True:\n    pass",
    "x = 'a' * 1500000000",
    "x = [0] * 10**9",
    "x = 10 ** 10 ** 10",
    "x = 1 << 10**9",
    "x = range(10**12)",
    "x = ['a' * 1000] * 1000\ny = [x] * 1000\nz = f'{y}'",
    "x = [0]\nfor i in range(60):\n    x += x",
    "x = [list(range(100000)) for i in range(100000)]",  # many big copies, none too big
    "s = set(range(100000))\nx = [s | s for i in range(1000)]",
    "x = list(range(100000))\ny = [[*x] for i in range(1000)]",
    "x = 'a' * 1000000\ny = [f'{x}{x}' for i in range(1000)]",
    "x = [f'{1:>999}' for i in range(100000)]",
    "rows = [range(100000)] * 100000\nx = list(zip(*rows))",
])
def test_budgets_stop_runaways(env, script):
    with pytest.raises(ScriptLimitExceeded):
        env.execute(script, {})


def test_no_real_builtins_even_through_task_data(env):
    with pytest.raises(NameError):  # a name nobody defined: the builtins are the safe list
        env.execute("x = memory_view_of_something", {})


def test_task_data_may_not_shadow_a_helper(env):
    with pytest.raises(ScriptNotAllowed):
        env.execute("x = 1", {"double": 3})


def test_helper_functions_do_not_leak_into_task_data(env):
    data = {"n": 2}
    env.execute("m = double(n)", data)
    assert data == {"n": 2, "m": 4}


@helper
def fixture_whoami(ctx):
    """Test helper: who the bound context says is acting."""
    return ctx.actor


def test_bound_helpers_are_closures_without_the_context():
    bound = bind(ScriptContext("the-session", None, "someone"))["fixture_whoami"]
    assert bound() == "someone"
    assert not hasattr(bound, "args") and not hasattr(bound, "func")
    env = RestrictedEnvironment({"fixture_whoami": bound})
    for script in ("x = fixture_whoami.args", "x = fixture_whoami.func",
                   "x = fixture_whoami.keywords"):
        with pytest.raises(SandboxError):
            env.execute(script, {})


def test_shared_helpers_act_for_the_context_running_the_script():
    """Every workflow's engine shares one set of helpers; each script's calls act for the
    context its engine was built with, and no other."""
    first = RestrictedEnvironment(shared(), context=ScriptContext("s1", None, "zhang"))
    second = RestrictedEnvironment(shared(), context=ScriptContext("s2", None, "wang"))
    assert first.globals is second.globals  # nothing of their own to keep per workflow
    data = {}
    first.execute("me = fixture_whoami()", data)
    assert data == {"me": "zhang"}
    assert second.evaluate("fixture_whoami()", {}) == "wang"
    assert first.evaluate("fixture_whoami()", {}) == "zhang"
    with pytest.raises(RuntimeError, match="outside a script"):
        shared()["fixture_whoami"]()  # no script is running: no one to act for
    for script in ("x = fixture_whoami.args", "x = fixture_whoami.__closure__"):
        with pytest.raises((SandboxError, ScriptNotAllowed)):
            first.execute(script, {})


def test_a_loop_stops_at_the_deadline_of_its_step():
    limits = Limits(step_seconds=0.3, script_seconds=10, max_work=10**12)
    env = RestrictedEnvironment({}, StepBudget(limits))
    with pytest.raises(ScriptLimitExceeded) as err:
        env.execute("while True:\n    x = 1", {})
    assert "时间限制" in err.value.message


def test_a_field_may_be_called_like_one_of_the_sandbox_values(env):
    data = {"date": "2026-03-02"}
    env.execute("day = date\ndate = date + 'T09:00'", data)
    assert data == {"date": "2026-03-02T09:00", "day": "2026-03-02"}
