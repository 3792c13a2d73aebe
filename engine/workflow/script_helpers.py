"""The registry of helpers that diagram scripts may call.

A helper is a plain function whose first argument is the ScriptContext (database session,
instance, acting user); scripts see it with that argument already bound, as a closure: unlike
`functools.partial`, a closure has no public attribute (`.args`, `.func`) that hands the
context, and with it the session, to the script. The domain packages
register theirs with `@helper`; only registered names pass the script sandbox. The runtime
knows the registry, never the domain that fills it.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_REGISTRY: dict[str, Callable] = {}


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
    _REGISTRY[fn.__name__] = fn
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
