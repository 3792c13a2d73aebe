"""URL converters: ids that cannot name a row answer 404 before any query runs."""
from flask import Flask
from werkzeug.routing import BaseConverter, IntegerConverter


class IdConverter(IntegerConverter):
    """A positive 32-bit row id (`<id:consultation_id>`); anything else does not match."""

    def __init__(self, map, **kwargs):
        super().__init__(map, min=1, max=2**31 - 1, **kwargs)


class TaskIdConverter(BaseConverter):
    """A task id: the engine's UUID-like strings; no NUL bytes, quotes or megabyte ids."""

    regex = r"[A-Za-z0-9_\-]{1,64}"


def init_app(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["int"] = IdConverter  # every <int:...> is a row id: bounded too
    app.url_map.converters["task_id"] = TaskIdConverter
