"""The restricted script engine refuses imports, builtins like open, and dunder access."""
import pytest

from engine.errors import ScriptNotAllowed
from engine.workflow.scripting import RestrictedEnvironment


def helper_double(x):
    return 2 * x


@pytest.fixture
def env():
    return RestrictedEnvironment({"double": helper_double})


def test_helpers_and_safe_builtins_work(env):
    data = {"items": [3, 1, 2]}
    env.execute("total = double(sum(items))\nfirst = sorted(items)[0]", data)
    assert (data["total"], data["first"]) == (12, 1)
    assert env.evaluate("len([i for i in items if i > x])", {"items": [1, 5, 9], "x": 2}) == 2


@pytest.mark.parametrize("script, message", [
    ("import os", "import is not allowed"),
    ("from os import path", "importfrom is not allowed"),
    ("f = open('/etc/passwd')", "'open' is not an allowed function"),
    ("x = __import__('os')", "'__import__' is not an allowed function"),
    ("x = ().__class__", "access to '__class__' is not allowed"),
    ("x = double.__globals__", "access to '__globals__' is not allowed"),
    ("x = '{0.__globals__}'.format(double)", "access to 'format' is not allowed"),
    ("x = eval('1')", "'eval' is not an allowed function"),
    ("x = exec('y=1')", "'exec' is not an allowed function"),
    ("x = getattr(double, 'x')", "'getattr' is not an allowed function"),
    ("x = __builtins__", "name '__builtins__' is not allowed"),
    ("class A: pass", "classdef is not allowed"),
    ("f = lambda: 1", "lambda is not allowed"),
])
def test_refused(env, script, message):
    with pytest.raises(ScriptNotAllowed) as err:
        env.execute(script, {})
    assert message in err.value.message


def test_no_real_builtins_even_through_task_data(env):
    # A name that is not called is looked up at run time: the builtins are the safe list only.
    with pytest.raises(NameError):
        env.execute("x = open", {})


def test_expressions_are_checked_too(env):
    with pytest.raises(ScriptNotAllowed):
        env.evaluate("__import__('os').system('true')", {})


def test_task_data_may_not_shadow_a_helper(env):
    with pytest.raises(ScriptNotAllowed):
        env.execute("x = 1", {"double": 3})


def test_helper_functions_do_not_leak_into_task_data(env):
    data = {"n": 2}
    env.execute("m = double(n)", data)
    assert data == {"n": 2, "m": 4}
