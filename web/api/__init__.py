"""JSON API under /api/v1 (flask-smorest; OpenAPI at /api/v1/openapi.json)."""
from flask import Flask

from web.extensions import api, csrf


def register(app: Flask) -> None:
    from web.converters import IdConverter, TaskIdConverter

    api.register_converter(IdConverter, lambda _c: {"type": "integer", "minimum": 1,
                                                    "maximum": 2**31 - 1})
    api.register_converter(TaskIdConverter, lambda _c: {"type": "string",
                                                        "pattern": TaskIdConverter.regex})
    from .auth import blp as auth_blp
    from .consultations import blp as consultations_blp
    from .notifications import blp as notifications_blp
    from .processes import blp as processes_blp
    from .tasks import blp as tasks_blp

    for blp in (auth_blp, consultations_blp, notifications_blp, processes_blp, tasks_blp):
        api.register_blueprint(blp, url_prefix="/api/v1")
        csrf.exempt(blp)  # bearer tokens, not cookies: no CSRF exposure
