"""JSON API under /api/v1 (flask-smorest; OpenAPI at /api/v1/openapi.json)."""
from flask import Flask

from web.extensions import api, csrf


def register(app: Flask) -> None:
    from .auth import blp as auth_blp

    for blp in (auth_blp,):
        api.register_blueprint(blp, url_prefix="/api/v1")
        csrf.exempt(blp)  # bearer tokens, not cookies: no CSRF exposure
