"""What a running script can reach: the guard functions RestrictedPython's code calls.

Attributes come from a whitelist per type (plain data, and the datetime classes and their
values); nothing else answers, so modules, functions, frames, classes' internals and the
helpers' insides stay out of reach whatever their names. Items can be read from plain data
only and written into lists and dicts only. Every operator, method and unpacking that can
build something checks the size first and charges what it built to the script's budget, so
neither one huge value nor many big copies can be made. Refusals raise SandboxError (the step
fails); sizes and work raise ScriptLimitExceeded.
"""
import datetime as dt
import operator

from engine.errors import ScriptLimitExceeded
from engine.workflow.limits import charge, current

_SET_READ = {"union", "intersection", "difference", "symmetric_difference", "issubset",
             "issuperset", "isdisjoint", "copy"}
METHODS = {
    str: frozenset({
        "lower", "upper", "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines",
        "startswith", "endswith", "find", "rfind", "index", "rindex", "count", "isdigit",
        "isalpha", "isalnum", "isspace", "isnumeric", "isdecimal", "islower", "isupper",
        "title", "capitalize", "casefold", "removeprefix", "removesuffix", "partition",
        "rpartition", "replace", "join"}),
    dict: frozenset({"get", "keys", "values", "items", "copy", "pop", "setdefault", "update"}),
    list: frozenset({"append", "extend", "insert", "pop", "remove", "index", "count", "sort",
                     "reverse", "copy"}),
    tuple: frozenset({"index", "count"}),
    set: frozenset(_SET_READ | {"add", "update", "discard", "remove", "pop"}),
    frozenset: frozenset(_SET_READ),
    dt.datetime: frozenset({"year", "month", "day", "hour", "minute", "second", "microsecond",
                            "tzinfo", "date", "isoformat", "weekday", "isoweekday", "replace",
                            "astimezone", "timestamp"}),
    dt.date: frozenset({"year", "month", "day", "isoformat", "weekday", "isoweekday",
                        "replace"}),
    dt.timedelta: frozenset({"days", "seconds", "microseconds", "total_seconds"}),
}
CLASS_ATTRIBUTES = {dt.datetime: frozenset({"now", "fromisoformat", "combine", "min", "max"}),
                    dt.date: frozenset({"today", "fromisoformat", "min", "max"}),
                    dt.timedelta: frozenset({"min", "max"}), dt.timezone: frozenset({"utc"})}
# Methods that return something new (charged); the others return parts of what exists.
COPYING_METHODS = frozenset({
    "copy", "split", "rsplit", "splitlines", "lower", "upper", "strip", "lstrip", "rstrip",
    "title", "capitalize", "casefold", "removeprefix", "removesuffix", "partition",
    "rpartition", "union", "intersection", "difference", "symmetric_difference"})
READABLE = (dict, list, tuple, str, range)
SEQUENCES = (str, bytes, list, tuple)
CONTAINERS = (list, tuple, set, frozenset, dict)


class SandboxError(Exception):
    """A script reached for something scripts are not given."""


def guarded_getattr(obj, name):
    """`obj.name` when the whitelist of obj's type (or class) has it; methods are handed out
    wrapped, so what they return is charged to the script."""
    if type(obj) is type and obj in CLASS_ATTRIBUTES:
        allowed = CLASS_ATTRIBUTES[obj]
    else:
        allowed = METHODS.get(type(obj), frozenset())
    if not isinstance(name, str) or name not in allowed:
        raise SandboxError(f"'{name}' of a {_kind(obj)} is not available in scripts")
    value = getattr(obj, name)
    grow = _GROWING.get((type(obj), name))
    if grow is not None:
        return grow(obj, value)
    return _charged(value) if name in COPYING_METHODS else value


def guarded_getitem(obj, key):
    if not isinstance(obj, READABLE):
        raise SandboxError(f"a {_kind(obj)} cannot be indexed in scripts")
    value = obj[key]
    return built(value) if isinstance(key, slice) else value


def guarded_write(obj):
    """The target of `obj[key] = value` / `del obj[key]`: lists (size-checked) and dicts."""
    if type(obj) is dict:
        return obj
    if type(obj) is list:
        return _ListWriter(obj)
    raise SandboxError(f"a {_kind(obj)} cannot be changed in scripts")


class _ListWriter:
    __slots__ = ("target",)

    def __init__(self, target: list):
        self.target = target

    def __setitem__(self, key, value):
        if isinstance(key, slice):
            value = built(list(value))
            check_len(len(self.target) + len(value), self.target)
        self.target[key] = value

    def __delitem__(self, key):
        del self.target[key]


def binop(symbol: str, a, b):
    """`a <symbol> b`: sizes checked first, what it builds charged."""
    _check_op(symbol, a, b)
    return built(_OPS[symbol](a, b))


def inplacevar(op: str, x, y):
    """`x op= y` on a name (RestrictedPython refuses it on items and attributes)."""
    symbol = op[:-1]
    if type(x) is list and symbol == "+":
        y = built(y if isinstance(y, SEQUENCES) else list(y))  # only what it adds is new
        check_len(len(x) + len(y), x)
        x += y
        return x
    _check_op(symbol, x, y)
    return built(_IOPS[op](x, y))


def starred(value):
    """`*value` in a literal or call, `**value` in a dict: a copy, charged."""
    return built(value if isinstance(value, CONTAINERS) else list(value))


def apply(function, *args, **kwargs):
    """`f(*args, **kwargs)`: the unpacked arguments are a copy, charged."""
    charge(len(args) + len(kwargs))
    return function(*args, **kwargs)


def built(value):
    """Charge a value the script just built: an element per item, a step per 16 characters."""
    if isinstance(value, CONTAINERS):
        charge(len(value))
    elif isinstance(value, str | bytes):
        charge(len(value) // 16 + 1)
    return value


def _check_op(symbol: str, a, b) -> None:
    if symbol == "*":
        for seq, n in ((a, b), (b, a)):
            if isinstance(seq, SEQUENCES) and isinstance(n, int):
                check_len(len(seq) * max(n, 0), seq)
        _check_bits(a, b, lambda x, y: x.bit_length() + y.bit_length())
    elif symbol == "+":
        if isinstance(a, SEQUENCES) and isinstance(b, SEQUENCES):
            check_len(len(a) + len(b), a)
    elif symbol == "**":
        _check_bits(a, b, lambda x, y: x.bit_length() * y if y > 0 and abs(x) > 1 else 0)
    elif symbol == "<<":
        _check_bits(a, b, lambda x, y: x.bit_length() + max(y, 0))
    elif symbol == "%" and isinstance(a, str | bytes):
        raise SandboxError("'%' formatting is not available in scripts; use an f-string")


def check_len(n: int, like) -> None:
    limits = current()
    limit = limits.max_string if isinstance(like, str | bytes) else limits.max_items
    if n > limit:
        raise too_big("字符串" if isinstance(like, str | bytes) else "列表")


def _check_bits(a, b, bits) -> None:
    if isinstance(a, int) and isinstance(b, int) and bits(a, b) > current().max_int_bits:
        raise too_big("整数")


_ENGLISH = {"字符串": "a string", "列表": "a list", "整数": "an integer", "序列": "a range",
            "数据": "the data"}


def too_big(what: str) -> ScriptLimitExceeded:
    return ScriptLimitExceeded(f"脚本生成的{what}超过大小限制",
                               detail=f"{_ENGLISH.get(what, what)} over the size limit")


def _kind(obj) -> str:
    return "class" if isinstance(obj, type) else type(obj).__name__


def _charged(method):
    def call(*args, **kwargs):
        return built(method(*args, **kwargs))
    return call


def _adds_one(obj, method):
    def adds_one(*args):
        check_len(len(obj) + 1, obj)
        charge(1)
        return method(*args)
    return adds_one


def _adds_many(obj, method):
    def adds_many(*others, **named):
        others = [starred(o) for o in others]
        check_len(len(obj) + sum(map(len, others)) + len(named), obj)
        return method(*others, **named)
    return adds_many


def _join(sep: str, method):
    def join(iterable):
        parts = starred(iterable)
        size = sum(len(p) for p in parts if isinstance(p, str))
        check_len(size + len(sep) * max(len(parts) - 1, 0), sep)
        return built(method(parts))
    return join


def _replace(text: str, method):
    def replace(old, new, count=-1):
        if isinstance(old, str) and isinstance(new, str) and isinstance(count, int):
            hits = text.count(old) if old else len(text) + 1
            hits = hits if count < 0 else min(hits, count)
            check_len(len(text) + hits * max(len(new) - len(old), 0), text)
        return built(method(old, new, count))
    return replace


_GROWING = {(list, "append"): _adds_one, (list, "insert"): _adds_one, (set, "add"): _adds_one,
            (dict, "setdefault"): _adds_one, (list, "extend"): _adds_many,
            (dict, "update"): _adds_many, (set, "update"): _adds_many,
            (str, "join"): _join, (str, "replace"): _replace}
_OPS = {"*": operator.mul, "+": operator.add, "**": operator.pow, "<<": operator.lshift,
        "%": operator.mod, "-": operator.sub, "/": operator.truediv, "//": operator.floordiv,
        ">>": operator.rshift, "|": operator.or_, "&": operator.and_, "^": operator.xor,
        "@": operator.matmul}
_IOPS = {"+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
         "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
         "<<=": operator.ilshift, ">>=": operator.irshift, "&=": operator.iand,
         "|=": operator.ior, "^=": operator.ixor, "@=": operator.imatmul}
