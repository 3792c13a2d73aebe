"""The registry of helpers that diagram scripts may call.

A helper is a plain function whose first argument is the ScriptContext (database session,
instance, acting user); scripts see it with that argument already bound, as a closure: unlike
`functools.partial`, a closure has no public attribute (`.args`, `.func`) that hands the
context, and with it the session, to the script. The domain packages
register theirs with `@helper`; only registered names pass the script sandbox. The runtime
knows the registry, never the domain that fills it.

The runtime's workflows share one set of closures (`shared`), each calling its helper with the
context of the script running in this thread (`act_for`, set by the script environment for
the duration of a script): a workflow kept live then holds no closures of its own, where
binding the context into each (`bind`) gave every one 33 functions and their cells to keep
and the garbage collector to walk.
"""
from collections.abc import Callable
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

_REGISTRY: dict[str, Callable] = {}
_shared: dict[str, Callable] | None = None  # built from the registry on first use and after
_running: ContextVar["ScriptContext | None"] = ContextVar("script_context", default=None)


@dataclass
class ScriptContext:
    """What a helper may use: the session of the current transaction and who is acting."""

    session: Any
    instance: Any  # engine.models.ProcessInstance
    actor: Any  # engine.actor.Actor

    def rebind(self, session: Any, instance: Any, actor: Any) -> None:
        """Serve the next use case: whatever helpers kept for the last one is dropped."""
        self.__dict__.clear()
        self.session, self.instance, self.actor = session, instance, actor


def helper(fn: Callable) -> Callable:
    """Register `fn` as a script helper under its own name."""
    global _shared
    _REGISTRY[fn.__name__] = fn
    _shared = None  # each registration changes it: the next use builds it anew
    return fn


def helper_names() -> frozenset[str]:
    """Every registered helper's name."""
    return frozenset(_REGISTRY)


def bind(ctx: ScriptContext) -> dict[str, Callable]:
    """The helpers with `ctx` bound, ready to hand to the script engine."""
    return {name: _bound(fn, ctx) for name, fn in _REGISTRY.items()}


def _bound(fn: Callable, ctx: ScriptContext) -> Callable:
    def call(*args, **kwargs):
        return fn(ctx, *args, **kwargs)
    call.__name__ = call.__qualname__ = fn.__name__
    return call


def shared() -> dict[str, Callable]:
    """The helpers bound to whichever context runs the current script (`act_for`); the
    same mapping every time while the registry stays as it is."""
    global _shared
    found = _shared
    if found is None:
        found = _shared = {name: _bound_to_running(fn) for name, fn in _REGISTRY.items()}
    return found


def act_for(ctx: ScriptContext | None) -> Token | None:
    """Let the shared helpers act for `ctx` (this thread only) until `act_done`; None: leave
    them as they are (an engine built with `bind`, its context in its closures)."""
    return None if ctx is None else _running.set(ctx)


def act_done(token: Token | None) -> None:
    if token is not None:
        _running.reset(token)


def _bound_to_running(fn: Callable) -> Callable:
    def call(*args, **kwargs):
        ctx = _running.get()
        if ctx is None:
            raise RuntimeError(f"script helper {fn.__name__} called outside a script")
        return fn(ctx, *args, **kwargs)
    call.__name__ = call.__qualname__ = fn.__name__
    return call
