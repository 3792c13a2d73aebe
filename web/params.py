"""Query-string parsing shared by the pages' filters: bad values are reported beside their
field (422), never a 500 from the database or the calendar."""
import re
from array import array
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request
from flask_babel import gettext as _

from engine.errors import InvalidInput

MAX_ID = 2**31 - 1  # row ids are 32-bit integers
MAX_PAGE = 100_000
# Dates a filter may name: far enough for any real question, near enough that a day's
# midnight in Beijing converts to UTC and back without leaving the calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def local_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")


def day_start(day: date) -> datetime:
    """Midnight of `day` in the platform's time zone, as UTC."""
    return datetime.combine(day, time(), local_zone()).astimezone(UTC)


def date_range(args, errors: dict, default_days: int | None = None
               ) -> tuple[date | None, date | None, datetime | None, datetime | None]:
    """(first day, last day, start, end) from ?start=YYYY-MM-DD&end=YYYY-MM-DD, end inclusive.

    With `default_days`, missing dates mean the last `default_days` days up to today.
    """
    first, last = (_day(args.get(name), name, errors) for name in ("start", "end"))
    if default_days is not None:
        today = datetime.now(local_zone()).date()
        last = last or today
        first = first or last - timedelta(days=default_days - 1)
    if first and last and first > last:
        errors.setdefault("end", []).append(_("结束日期不能早于开始日期"))
    start = day_start(first) if first else None
    end = day_start(last + timedelta(days=1)) if last else None
    return first, last, start, end


def _day(value: str | None, name: str, errors: dict) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors.setdefault(name, []).append(_("请使用 YYYY-MM-DD 格式"))
        return None
    if not FIRST_DAY <= day <= LAST_DAY:
        errors.setdefault(name, []).append(_("日期须在 %(first)s 至 %(last)s 之间",
                                              first=FIRST_DAY, last=LAST_DAY))
        return None
    return day


def integer(args, name: str, errors: dict, maximum: int = MAX_ID) -> int | None:
    """A positive whole number from ?name=, or None; too big or not a number is an error."""
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        errors.setdefault(name, []).append(_("请输入数字"))
        return None
    if not 1 <= int(value) <= maximum:
        errors.setdefault(name, []).append(_("数字须在 1 至 %(n)s 之间", n=maximum))
        return None
    return int(value)


def page_number(args) -> int:
    """?page= (1 when absent); a bad one answers 422 naming the field."""
    errors: dict = {}
    page = integer(args, "page", errors, maximum=MAX_PAGE)
    if errors:
        raise InvalidInput(_("提交的数据无效"), fields=errors)
    return page or 1


_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")  # what fills request.form


def _refuse_nul_bytes() -> None:
    """No text with NUL bytes reaches a query: PostgreSQL refuses it (a 500 otherwise)."""
    sources = (request.args, request.form) if request.mimetype in _FORMS else (request.args,)
    bad = {name: [_("不能包含 NUL 字符")]
           for source in sources for name, value in source.items(multi=True)
           if "\x00" in name or "\x00" in value}
    if bad:
        raise InvalidInput(_("提交的数据无效"), fields={k.replace("\x00", "") or "_": v
                                                  for k, v in bad.items()})


MAX_JSON_DEPTH = 64
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKETS = bytes(c for c in range(256) if c not in b"[]{}")
_STEP = bytes.maketrans(b"[{]}", b"\x01\x01\xff\xff")  # +1 / -1 as signed bytes


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether a JSON text nests arrays and objects more than `limit` levels (brackets inside
    strings aside); a running sum in C, so a megabyte costs milliseconds."""
    if body.count(b"[") + body.count(b"{") <= limit:  # the usual case
        return False
    steps = _JSON_STRING.sub(b"", body).translate(_STEP, _NOT_BRACKETS)
    return max(accumulate(array("b", steps)), default=0) > limit


def _refuse_deep_json() -> None:
    """Python's JSON parser recurses per level: 100,000 levels would crash it (a 500)."""
    if request.is_json and too_deep(request.get_data(cache=True)):
        raise InvalidInput(_("提交的数据无效"), fields={"body": [
            _("JSON 嵌套不能超过 %(n)s 层", n=MAX_JSON_DEPTH)]})


def init_app(app: Flask) -> None:
    app.before_request(_refuse_nul_bytes)
    app.before_request(_refuse_deep_json)
