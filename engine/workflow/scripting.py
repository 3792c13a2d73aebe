"""The restricted script engine every diagram script and expression runs in.

SpiffWorkflow's default engine is plain `exec`/`eval`. Here every script is parsed first and
refused if it imports, touches a dunder or private attribute, or calls a name that is neither a
safe builtin nor a whitelisted helper. Builtins are replaced by a short safe list, so `open`,
`__import__`, `eval` and friends do not exist inside a script.
"""
import ast
import builtins
import copy
import datetime
from collections.abc import Callable, Mapping
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine.errors import ScriptNotAllowed

SAFE_BUILTINS = {
    name: getattr(builtins, name)
    for name in (
        "abs", "all", "any", "bool", "dict", "enumerate", "float", "int", "isinstance", "len",
        "list", "max", "min", "range", "reversed", "round", "set", "sorted", "str", "sum",
        "tuple", "zip", "None", "True", "False", "ValueError",
    )
}
SAFE_GLOBALS = {"datetime": datetime, "timedelta": datetime.timedelta}
_FORBIDDEN_NODES = (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal, ast.AsyncFunctionDef,
                    ast.Await, ast.Yield, ast.YieldFrom, ast.ClassDef, ast.Lambda)
# str.format can walk attributes ("{0.__globals__}"), so it is refused like dunder access.
_FORMAT = frozenset({"format", "format_map"})


def check_source(source: str, mode: str, helper_names: frozenset[str]) -> ast.AST:
    """Parse and inspect a script; raise ScriptNotAllowed naming what is refused."""
    try:
        tree = ast.parse(source, mode=mode)
    except SyntaxError as exc:
        raise ScriptNotAllowed(f"syntax error on line {exc.lineno}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, _FORBIDDEN_NODES):
            raise ScriptNotAllowed(f"{type(node).__name__.lower()} is not allowed in scripts")
        if isinstance(node, ast.Attribute) and (node.attr.startswith("_") or node.attr in _FORMAT):
            raise ScriptNotAllowed(f"access to '{node.attr}' is not allowed")
        if isinstance(node, ast.Name) and node.id.startswith("__"):
            raise ScriptNotAllowed(f"name '{node.id}' is not allowed")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name not in SAFE_BUILTINS and name not in helper_names and name not in SAFE_GLOBALS:
                raise ScriptNotAllowed(f"'{name}' is not an allowed function")
    return tree


@lru_cache(maxsize=4096)
def _compiled(source: str, mode: str, helper_names: frozenset[str]):
    tree = check_source(source, mode, helper_names)
    return compile(tree, "<string>", mode)


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates expressions and runs scripts against task data with no real builtins."""

    def __init__(self, helpers: Mapping[str, Callable]):
        super().__init__({**SAFE_GLOBALS, **helpers})
        self.helper_names = frozenset(helpers)

    def _globals(self, external_context):
        scope = copy.copy(self.globals)
        scope.update(external_context or {})
        scope["__builtins__"] = SAFE_BUILTINS
        return scope

    def evaluate(self, expression, context, external_context=None):
        code = _compiled(expression.strip(), "eval", self.helper_names)
        scope = self._globals(external_context)
        scope.update(context)
        return eval(code, scope)

    def execute(self, script, context, external_context=None):
        clash = set(self.globals).intersection(context)
        if clash:
            raise ScriptNotAllowed(f"task data overwrites a helper: {sorted(clash)}")
        code = _compiled(script, "exec", self.helper_names)
        scope = self._globals(external_context)
        scope.update(context)
        exec(code, scope)
        for key, value in scope.items():
            if key in self.globals or key == "__builtins__" or callable(value):
                continue
            if external_context and key in external_context:
                continue
            context[key] = value
        return True


def script_engine(helpers: Mapping[str, Callable]) -> PythonScriptEngine:
    """A SpiffWorkflow script engine restricted to `helpers` and the safe builtins."""
    return PythonScriptEngine(environment=RestrictedEnvironment(helpers))
