"""Configuration from environment variables with safe defaults; tests subclass or override."""
import hashlib
import os
from datetime import timedelta

DEFAULT_SECRET = "dev-only-secret-change-me"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Read once per app; `DATABASE_URL` unset means SQLite in the instance folder."""

    def __init__(self) -> None:
        self.APP_ENV = os.environ.get("APP_ENV", "development")
        production = self.APP_ENV == "production"
        self.SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: filled in later
        self.SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", production)
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.REMEMBER_COOKIE_HTTPONLY = True
        # A question is at most a few thousand characters: refuse megabyte bodies early (413).
        self.MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 1024 * 1024))
        self.PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
        # memory:// counts per process: with several gunicorn workers each one would allow
        # the full limit, so production with more than one refuses it (check_production).
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "fawang")
        # How many processes serve this app (gunicorn.conf.py passes its real worker count).
        self.WEB_PROCESSES = int(os.environ.get("GUNICORN_WORKERS")
                                 or os.environ.get("WEB_CONCURRENCY") or 1)
        self.RATELIMIT_HEADERS_ENABLED = True
        self.LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10/minute")
        self.SUBMIT_RATE_LIMIT = os.environ.get("SUBMIT_RATE_LIMIT", "20/hour")
        self.API_TOKEN_MAX_AGE = int(os.environ.get("API_TOKEN_MAX_AGE", 12 * 3600))
        self.BABEL_DEFAULT_LOCALE = "zh"
        self.BABEL_DEFAULT_TIMEZONE = os.environ.get("APP_TIMEZONE", "Asia/Shanghai")
        self.LANGUAGES = ("zh", "en")
        self.SMTP_HOST = os.environ.get("SMTP_HOST", "")
        self.SMTP_PORT = int(os.environ.get("SMTP_PORT", 25))
        self.SMTP_USER = os.environ.get("SMTP_USER", "")
        self.SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
        self.SMTP_FROM = os.environ.get("SMTP_FROM", "noreply@example.org")
        self.API_TITLE = "Fawang workflow API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api/v1"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.PROCESSES_DIR = os.environ.get("PROCESSES_DIR", "processes")
        # The audit chain's HMAC key, held outside the database; required in production.
        # Outside production an empty key is derived from the secret key (derived_settings).
        self.AUDIT_KEY = os.environ.get("AUDIT_KEY", "")
        # Where the worker appends the chain's head every AUDIT_ANCHOR_MINUTES (unset: nowhere).
        self.AUDIT_ANCHOR_FILE = os.environ.get("AUDIT_ANCHOR_FILE", "")
        self.AUDIT_ANCHOR_MINUTES = float(os.environ.get("AUDIT_ANCHOR_MINUTES", 10))
        # What one diagram may cost (engine.workflow.limits): seconds per script and per
        # engine step, tasks per transaction, steps of work and sizes per script, and the
        # shortest repetition a timer cycle may have (refused at deploy).
        self.SCRIPT_TIME_LIMIT = float(os.environ.get("SCRIPT_TIME_LIMIT", 2))
        self.STEP_TIME_LIMIT = float(os.environ.get("STEP_TIME_LIMIT", 5))
        self.MAX_ENGINE_STEPS = int(os.environ.get("MAX_ENGINE_STEPS", 500))
        self.SCRIPT_MAX_WORK = int(os.environ.get("SCRIPT_MAX_WORK", 1_000_000))
        self.SCRIPT_MAX_ITEMS = int(os.environ.get("SCRIPT_MAX_ITEMS", 100_000))
        self.SCRIPT_MAX_STRING = int(os.environ.get("SCRIPT_MAX_STRING", 1_000_000))
        self.TIMER_CYCLE_MINIMUM = float(os.environ.get("TIMER_CYCLE_MINIMUM", 60))


def derived_settings(config) -> None:
    """Fill the settings derived from others once the app's config is final: outside
    production, an audit key from the secret key (stable per install, never the same across
    installs with different secrets)."""
    if not config.get("AUDIT_KEY") and config.get("APP_ENV") != "production":
        secret = config.get("SECRET_KEY") or DEFAULT_SECRET
        config["AUDIT_KEY"] = hashlib.sha256(f"fawang audit chain:{secret}".encode()).hexdigest()


MIN_AUDIT_KEY = 32


# Config name -> engine.workflow.limits.Limits field.
LIMITS = {"SCRIPT_TIME_LIMIT": "script_seconds", "STEP_TIME_LIMIT": "step_seconds",
          "MAX_ENGINE_STEPS": "max_engine_steps", "SCRIPT_MAX_WORK": "max_work",
          "SCRIPT_MAX_ITEMS": "max_items", "SCRIPT_MAX_STRING": "max_string",
          "TIMER_CYCLE_MINIMUM": "timer_cycle_minimum"}


def check_production(config, processes: int | None = None) -> None:
    """Refuse to start in production with the default (public) secret key, no audit key, or
    per-process rate-limit counters when more than one process serves."""
    if config.get("APP_ENV") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET):
        raise RuntimeError("APP_ENV=production needs a SECRET_KEY environment variable "
                           "(refusing to start with the default secret)")
    if len(config.get("AUDIT_KEY") or "") < MIN_AUDIT_KEY:
        raise RuntimeError(f"APP_ENV=production needs an AUDIT_KEY environment variable of at "
                           f"least {MIN_AUDIT_KEY} characters (the audit chain's HMAC key)")
    processes = processes if processes is not None else config.get("WEB_PROCESSES", 1)
    storage = (config.get("RATELIMIT_STORAGE_URI") or "memory://").split(":", 1)[0]
    if processes > 1 and storage in ("memory", "memory+async"):
        raise RuntimeError(
            f"APP_ENV=production with {processes} processes needs RATELIMIT_STORAGE_URI "
            "pointing to a shared store (e.g. redis://127.0.0.1:6379): in-memory counters "
            "would let each process allow the full login limit")
