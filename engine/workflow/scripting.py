"""The sandbox every diagram script and expression runs in.

SpiffWorkflow's default engine is plain `exec`/`eval`. Here each source is compiled with
RestrictedPython under the platform's policy (script_policy: what may be written), runs with
its guard functions (script_guards: what can be reached) and a budget (limits: how long, how
many loop rounds, how big). Helpers are plain closures: a script can call them, never look
inside them. Deploy validation compiles every script the same way, so most attacks are
refused before a version exists, naming the element.
"""
import ast
from collections.abc import Callable, Mapping
from functools import lru_cache

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine.errors import ScriptNotAllowed
from engine.workflow import script_guards as guards
from engine.workflow.limits import ScriptBudget, StepBudget, stop
from engine.workflow.script_builtins import SAFE_BUILTINS, VALUES, formatted, weigh
from engine.workflow.script_helpers import ScriptContext, act_done, act_for, shared
from engine.workflow.script_policy import policy_for

MAX_SOURCE = 20_000  # characters: diagram scripts are one-liners
_FILENAME = "<string>"  # SpiffWorkflow finds the failing line by this name
_GUARDS = {
    "_getattr_": guards.guarded_getattr, "_getitem_": guards.guarded_getitem,
    "_write_": guards.guarded_write, "_binop_": guards.binop, "_inplacevar_": guards.inplacevar,
    "_fmt_": formatted, "_built_": guards.built, "_starred_": guards.starred,
    "_apply_": guards.apply,
    "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
    "_unpack_sequence_": guarded_unpack_sequence,
}


def check_source(source: str, mode: str, helper_names: frozenset[str]):
    """Compile a script ("exec") or expression ("eval"); raise ScriptNotAllowed naming what
    is refused. Returns the code object."""
    return _compiled(source, mode, frozenset(helper_names))[0]


@lru_cache(maxsize=4096)
def _compiled(source: str, mode: str, helper_names: frozenset[str]):
    if len(source) > MAX_SOURCE:
        raise ScriptNotAllowed(f"script longer than {MAX_SOURCE} characters")
    policy = policy_for(helper_names | frozenset(SAFE_BUILTINS) | frozenset(VALUES))
    compile_ = compile_restricted_exec if mode == "exec" else compile_restricted_eval
    try:
        result = compile_(source, _FILENAME, policy=policy)
    except (RecursionError, MemoryError, ValueError, SyntaxError):
        raise ScriptNotAllowed("script is too deeply nested or not valid Python") from None
    if result.errors:
        raise ScriptNotAllowed("; ".join(dict.fromkeys(result.errors)))
    return result.code, _assigned(source) if mode == "exec" else ()


def _assigned(source: str) -> tuple[str, ...]:
    """The names a script may bind: only these can come back as task data."""
    names = {n.id for n in ast.walk(ast.parse(source))
             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return tuple(sorted(n for n in names if not n.startswith("_")))


def _closed(name: str, fn: Callable) -> Callable:
    """The helper as scripts see it: a closure that weighs its arguments (a helper may print
    them) and has no attribute a script can read."""
    def call(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            weigh(value)
        return fn(*args, **kwargs)
    call.__name__ = call.__qualname__ = name
    return call


_seen: tuple | None = None  # the shared helpers, the globals scripts see, the helpers' names


def _as_seen(helpers: Mapping[str, Callable]) -> tuple[dict, frozenset[str]]:
    """The globals scripts see and the helpers' names; for the shared helpers, built once and
    the same for every environment while the registry stays as it is."""
    global _seen
    kept, reuse = _seen, helpers is shared()
    if reuse and kept is not None and kept[0] is helpers:
        return kept[1], kept[2]
    found = {**VALUES, **{n: _closed(n, f) for n, f in helpers.items()}}, frozenset(helpers)
    if reuse:
        _seen = (helpers, *found)
    return found


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates expressions and runs scripts against task data, inside the sandbox.

    `helpers`: closures with their context bound (script_helpers.bind), or the shared ones
    (script_helpers.shared) with the `context` they act for while this environment runs a
    script."""

    def __init__(self, helpers: Mapping[str, Callable], budget: StepBudget | None = None,
                 context: ScriptContext | None = None):
        environment_globals, self.helper_names = _as_seen(helpers)
        super().__init__(environment_globals)
        self.budget = budget or StepBudget()
        self.context = context

    def _scope(self, budget: ScriptBudget, external_context, context) -> dict:
        scope = {**self.globals, **(external_context or {}), **context, **_GUARDS}
        scope["_getiter_"], scope["_tick_"] = budget.iterate, budget.tick
        scope["__builtins__"] = SAFE_BUILTINS
        return scope

    def evaluate(self, expression, context, external_context=None):
        code, _ = _compiled(expression.strip(), "eval", self.helper_names)
        budget = self.budget.script()
        token, acting = budget.start(), act_for(self.context)
        try:
            result = eval(code, self._scope(budget, external_context, context))
        finally:
            act_done(acting)
            stop(token)
        weigh(result)
        return result

    def execute(self, script, context, external_context=None):
        clash = self.helper_names.intersection(context)  # (a value like `date` may be shadowed)
        if clash:
            raise ScriptNotAllowed(f"task data overwrites a helper: {sorted(clash)}")
        code, assigned = _compiled(script, "exec", self.helper_names)
        budget = self.budget.script()
        scope, token = self._scope(budget, external_context, context), budget.start()
        acting = act_for(self.context)
        try:
            exec(code, scope)
        finally:
            act_done(acting)
            stop(token)
        for key in assigned:
            value = scope.get(key, _MISSING)
            if value is _MISSING or callable(value) or key in self.helper_names \
                    or (external_context and key in external_context):
                continue
            if context.get(key, _MISSING) is not value:
                weigh(value)
                context[key] = value
        return True


_MISSING = object()


def script_engine(helpers: Mapping[str, Callable], budget: StepBudget | None = None,
                  context: ScriptContext | None = None) -> PythonScriptEngine:
    """A SpiffWorkflow script engine restricted to `helpers`, spending `budget` (and, for the
    shared helpers, acting for `context`)."""
    return PythonScriptEngine(environment=RestrictedEnvironment(helpers, budget, context))
