"""The Flask application: a thin layer over `engine/` (never imports SpiffWorkflow)."""
import os
from functools import cached_property

from flask import Flask

from engine.db import configure as configure_engine
from engine.workflow import limits

from .config import LIMITS, Config, check_production, derived_settings

MIGRATIONS_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), os.pardir,
                                               "migrations"))


class App(Flask):
    """Flask, asking once per function whether it is a coroutine: Flask asks for every hook and
    view on every request (eleven times for a small one, a twentieth of its CPU)."""

    def ensure_sync(self, func):
        known = self._sync_of.get(func)
        if known is None:
            known = super().ensure_sync(func)
            if len(self._sync_of) < 4096:  # hooks and views: a fixed set
                self._sync_of[func] = known
        return known

    @cached_property
    def _sync_of(self) -> dict:
        return {}


def create_app(test_config: dict | None = None) -> Flask:
    """Application factory: config from the environment, then `test_config` on top."""
    app = App(__name__, instance_relative_config=True)
    app.config.from_object(Config())
    if test_config is not None:
        app.config.update(test_config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "fawang.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    derived_settings(app.config)
    check_production(app.config)
    limits.configure(**{field: app.config[name] for name, field in LIMITS.items()
                        if name in app.config})
    _init_extensions(app)
    _register_blueprints(app)
    return app


def _init_extensions(app: Flask) -> None:
    from . import converters, i18n, params, security
    from .auth import access
    from .auth.session_user import init_login
    from .extensions import api, csrf, db, limiter, migrate

    converters.init_app(app)
    params.init_app(app)
    security.init_app(app)
    db.init_app(app)
    with app.app_context():
        # The audit chain's key; SQLite: WAL, foreign keys, writers queue (BEGIN IMMEDIATE).
        configure_engine(db.engine, app.config.get("AUDIT_KEY"))
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    # Only routes decorated with @limiter.limit are limited (login, submitting): the decorator
    # checks them itself. Flask-Limiter's check before every request looks for default and
    # application limits, which this app does not set; it cost about a tenth of a request.
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    init_login(app)
    access.init_app(app)
    i18n.init_app(app)
    from .api.schemas import ErrorSchema

    api.ERROR_SCHEMA = ErrorSchema  # the documented error body is the one web/errors.py sends
    api.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from . import audit_cli, cli, errors, migrate_cli, worker_cli
    from .admin import bp as admin_bp
    from .api import register as register_api
    from .auth import bp as auth_bp
    from .board import bp as board_bp
    from .citizen import bp as citizen_bp
    from .designer import bp as designer_bp
    from .main import bp as main_bp
    from .notifications import bp as notifications_bp
    from .ops import bp as ops_bp
    from .supervisor import bp as supervisor_bp
    from .tasks import bp as tasks_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(citizen_bp)
    app.register_blueprint(tasks_bp)
    app.register_blueprint(board_bp)
    app.register_blueprint(designer_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(supervisor_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(ops_bp)
    register_api(app)
    errors.init_app(app)  # after the API, so these handlers replace flask-smorest's
    cli.init_app(app)
    migrate_cli.init_app(app)
    worker_cli.init_app(app)
    audit_cli.init_app(app)
