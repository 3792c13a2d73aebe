"""Whitelisted helpers that diagram scripts may call.

A helper is a plain function whose first argument is the ScriptContext (database session,
instance, acting user); scripts see it with that argument already bound. Register one with
`@helper`; only registered names pass the script sandbox.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

_REGISTRY: dict[str, Callable] = {}


@dataclass
class ScriptContext:
    """What a helper may use: the session of the current transaction and who is acting."""

    session: Any
    instance: Any  # engine.models.ProcessInstance
    actor: Any  # engine.actor.Actor
    events: list[dict] = field(default_factory=list)  # audit rows the helpers want written


def helper(fn: Callable) -> Callable:
    """Register `fn` as a script helper under its own name."""
    _REGISTRY[fn.__name__] = fn
    return fn


def helper_names() -> frozenset[str]:
    _load_all()
    return frozenset(_REGISTRY)


def bind(ctx: ScriptContext) -> dict[str, Callable]:
    """The helpers with `ctx` bound, ready to hand to the script engine."""
    _load_all()
    return {name: partial(fn, ctx) for name, fn in _REGISTRY.items()}


def _load_all() -> None:
    # Imported lazily so that helper modules may import engine models freely.
    from . import (  # noqa: F401
        assignment,
        consultation,
        notifications,
        platform,
        referral,
        supervision,
    )
