"""The builtins and values a diagram script has: a short list, the growing ones bounded.

Values, never modules: the `datetime`, `date`, `timedelta` and `timezone` classes (whose
attributes script_guards whitelists). Constructors that copy (`list`, `dict`, `sorted` ...)
charge what they build; `range`, `round`, `sum` and `str` refuse what would be huge.
`isinstance` still accepts the wrapped constructors as the types they stand for. `weigh`
measures what a value would cost to print or store, shared parts counted every time.
"""
import datetime as dt

from engine.workflow.limits import charge, current
from engine.workflow.script_guards import SandboxError, built, too_big

VALUES = {"datetime": dt.datetime, "date": dt.date, "timedelta": dt.timedelta,
          "timezone": dt.timezone}


def weigh(value, what: str = "数据") -> int:
    """Elements plus characters/16 of `value`, counting shared parts every time they would be
    printed or stored; refuses past the data limit (and walks no further than that)."""
    if type(value) in _LEAF:
        return 1
    limit, total, pending = current().max_data, 0, [value]
    while pending:
        item = pending.pop()
        kind = _SHAPE.get(type(item)) or (type(item) not in _LEAF and _shape(item))
        total += 1
        if kind == "text":
            total += len(item) // 16
        elif kind == "map":
            total += len(item)
            pending.extend(v for v in (*item.keys(), *item.values()) if type(v) not in _LEAF)
        elif kind == "many":
            total += len(item)
            pending.extend(v for v in item if type(v) not in _LEAF)
        if total > limit:
            raise too_big(what)
    return total


_SHAPE = {str: "text", bytes: "text", dict: "map", list: "many", tuple: "many", set: "many",
          frozenset: "many"}
_LEAF = frozenset({int, float, bool, type(None), dt.datetime, dt.date, dt.timedelta})


def _shape(item) -> str | None:
    """Subclasses of the plain types (rare in task data) are weighed like their base."""
    return next((kind for base, kind in _SHAPE.items() if isinstance(item, base)), None)


def _range(*args) -> range:
    numbers = range(*args)
    try:
        size = len(numbers)
    except OverflowError:
        size = None
    if size is None or size > current().max_items:
        raise too_big("序列")
    return numbers


def _round(number, ndigits=None):
    if ndigits is None:
        return round(number)
    if not isinstance(ndigits, int) or abs(ndigits) > 100:  # round(1, -10**9) builds 10**10**9
        raise SandboxError("round() takes at most 100 digits in scripts")
    return round(number, ndigits)


def _sum(iterable, start=0):
    if not isinstance(start, int | float):  # sum(lists, []) concatenates without a bound
        raise SandboxError("sum() adds numbers only in scripts")
    return sum(iterable, start)


def _zip(*iterables, strict=False):
    """zip, charging every tuple it builds: `list(zip(*rows))` of a big table is big."""
    for item in zip(*iterables, strict=strict):
        charge(len(item))
        yield item


def formatted(value):
    """An f-string's value: weighed (a shared-list bomb is not printed) and charged."""
    charge(weigh(value))
    return value


def _str(*args):
    if args:
        formatted(args[0])
    return built(str(*args))


def _copying(kind):
    def make(*args, **kwargs):
        return built(kind(*args, **kwargs))
    make.__name__ = kind.__name__
    return make


_COPYING = {kind: _copying(kind) for kind in (list, tuple, set, frozenset, dict)}
_TYPES = {_str: str, **{made: kind for kind, made in _COPYING.items()}}


def _isinstance(obj, classes) -> bool:
    if isinstance(classes, tuple):
        classes = tuple(_TYPES.get(c, c) for c in classes)
    else:
        classes = _TYPES.get(classes, classes)
    return isinstance(obj, classes)


SAFE_BUILTINS = {
    "abs": abs, "all": all, "any": any, "bool": bool, "chr": chr, "enumerate": enumerate,
    "float": float, "int": int, "isinstance": _isinstance, "len": len, "max": max, "min": min,
    "ord": ord, "range": _range, "reversed": reversed, "round": _round,
    "sorted": _copying(sorted), "str": _str, "sum": _sum, "zip": _zip, "None": None,
    "True": True, "False": False, "ValueError": ValueError,
    **{kind.__name__: made for kind, made in _COPYING.items()},
}
