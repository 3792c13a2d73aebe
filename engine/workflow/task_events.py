"""Listeners told when user tasks become ready (e.g. to notify who holds them).

The runtime calls `created` in the transaction that projects the new human_task rows; the
domain packages register their listeners with `on_created`. Like the script helper registry,
the runtime knows the registry, never the domain that fills it.
"""
from collections.abc import Callable

_LISTENERS: list[Callable] = []


def on_created(fn: Callable) -> Callable:
    """Register `fn(session, rows)`: `rows` are the new human_task rows as column dicts, each
    with the `version_id` of the instance's process version."""
    if fn not in _LISTENERS:
        _LISTENERS.append(fn)
    return fn


def off(fn: Callable) -> None:
    """Unregister a listener."""
    if fn in _LISTENERS:
        _LISTENERS.remove(fn)


def created(session, rows: list[dict]) -> None:
    """Tell every listener about newly ready user tasks (inside the caller's transaction)."""
    for listener in _LISTENERS:
        listener(session, rows)
