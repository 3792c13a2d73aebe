"""Query-string parsing shared by the oversight pages (bad values are reported, not 500s)."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _


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
        return date.fromisoformat(value)
    except ValueError:
        errors.setdefault(name, []).append(_("请使用 YYYY-MM-DD 格式"))
        return None


def integer(args, name: str, errors: dict) -> int | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    if not value.isdigit():
        errors.setdefault(name, []).append(_("请输入数字"))
        return None
    return int(value)
