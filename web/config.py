"""Every setting the platform reads from the environment: its name, default and meaning.

`SETTINGS` fill the Flask config (`Config`); `GUNICORN_SETTINGS` are read by `gunicorn.conf.py`.
The README's settings table is generated from both (`tools/settings_table.py`), and a test
keeps the two identical.
"""
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import click

DEFAULT_SECRET = "dev-only-secret-change-me"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class SettingError(click.ClickException, RuntimeError):
    """The environment cannot run the app; `flask` prints the message and exits with 1."""


def flag(value: str) -> bool:
    """`1/true/yes/on` or `0/false/no/off` (any case); anything else is refused."""
    word = value.strip().lower()
    if word not in _TRUE | _FALSE:
        raise ValueError("expected 1/0, true/false, yes/no or on/off")
    return word in _TRUE


def integer(value: str) -> int:
    """A whole number, e.g. `587`."""
    try:
        return int(value.strip())
    except ValueError:
        raise ValueError("expected a whole number") from None


def number(value: str) -> float:
    """A number, e.g. `10` or `0.5`."""
    try:
        return float(value.strip())
    except ValueError:
        raise ValueError("expected a number") from None


@dataclass(frozen=True)
class Setting:
    """One environment variable: the config key it fills, its default, how it is parsed."""

    env: str
    default: Any
    meaning: str
    key: str = ""  # the config key; the variable's own name when empty
    parse: Callable[[str], Any] = str
    shown_default: str | None = None  # the README's wording when the default is computed

    @property
    def config_key(self) -> str:
        return self.key or self.env

    def read(self, environ: Mapping[str, str]) -> Any:
        """The parsed value of the variable, or the default when it is unset."""
        raw = environ.get(self.env)
        if raw is None:
            return self.default
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise SettingError(f"{self.env}={raw!r}: {exc}") from None


SETTINGS = (
    Setting("APP_ENV", "development", "`production`: secure cookies; refuses to start without "
            "`SECRET_KEY` and `AUDIT_KEY` (and e-mail without `BASE_URL`); refuses `seed-demo`"),
    Setting("SECRET_KEY", DEFAULT_SECRET, "signs sessions, API tokens and e-mail Message-IDs",
            shown_default="a development-only key"),
    Setting("DATABASE_URL", None, "e.g. `postgresql+psycopg://user@host/fawang`",
            key="SQLALCHEMY_DATABASE_URI", shown_default="SQLite `instance/fawang.db`"),
    Setting("SESSION_COOKIE_SECURE", None, "cookies only over HTTPS", parse=flag,
            shown_default="on when `APP_ENV=production`"),
    Setting("MAX_CONTENT_LENGTH", 1024 * 1024, "largest request body in bytes (413 above)",
            parse=integer),
    Setting("RATELIMIT_STORAGE_URI", "memory://", "shared rate-limit storage, e.g. "
            "`redis://host:6379`: required in production when more than one process serves "
            "(gunicorn refuses to start with `memory://` and 2+ workers)"),
    Setting("RATELIMIT_KEY_PREFIX", "fawang", "prefix of the rate-limit keys in the shared "
            "storage (several sites may share one Redis)"),
    Setting("LOGIN_RATE_LIMIT", "10/minute", "login attempts per client address"),
    Setting("SUBMIT_RATE_LIMIT", "20/hour", "consultations submitted per client address"),
    Setting("API_TOKEN_MAX_AGE", 12 * 3600, "lifetime of an API bearer token in seconds",
            parse=integer),
    Setting("APP_TIMEZONE", "Asia/Shanghai", "time zone of dates shown and of report days",
            key="BABEL_DEFAULT_TIMEZONE"),
    Setting("SMTP_HOST", "", "the worker e-mails notifications through this server; unset: "
            "notifications stay in the web inbox"),
    Setting("SMTP_PORT", 25, "the SMTP server's port", parse=integer),
    Setting("SMTP_USERNAME", "", "login (AUTH) at the SMTP server when set"),
    Setting("SMTP_PASSWORD", "", "password for `SMTP_USERNAME`"),
    Setting("SMTP_STARTTLS", False, "upgrade the connection with STARTTLS; the server's "
            "certificate and host name are verified", parse=flag),
    Setting("SMTP_CA_FILE", "", "PEM file of the authorities trusted for the SMTP server's "
            "certificate", shown_default="the system's"),
    Setting("MAIL_FROM", "北京法网 <noreply@localhost>", "sender of the e-mails"),
    Setting("BASE_URL", DEFAULT_BASE_URL, "address of the site, the host of links in e-mails"),
    Setting("AUDIT_KEY", "", "the audit chain's HMAC key (at least 32 characters, kept out of "
            "the database)", shown_default="derived from `SECRET_KEY`; required in production"),
    Setting("AUDIT_ANCHOR_FILE", "", "where the worker appends the audit chain's head (a file "
            "the database's users cannot write)", shown_default="unset: no anchors"),
    Setting("AUDIT_ANCHOR_MINUTES", 10.0, "how often the worker anchors the chain",
            parse=number, shown_default="`10`"),
    Setting("PROCESSES_DIR", "processes", "the repository's diagrams, which the designer pages "
            "compare with the deployed versions"),
    # What one diagram may cost (engine.workflow.limits, filled through LIMITS below).
    Setting("SCRIPT_TIME_LIMIT", 2.0, "seconds one diagram script may run", parse=number,
            shown_default="`2`"),
    Setting("STEP_TIME_LIMIT", 5.0, "seconds one engine step may run", parse=number,
            shown_default="`5`"),
    Setting("MAX_ENGINE_STEPS", 500, "tasks one transaction may run", parse=integer),
    Setting("SCRIPT_MAX_WORK", 1_000_000, "steps of work one script may do", parse=integer),
    Setting("SCRIPT_MAX_ITEMS", 100_000, "largest collection a script may build",
            parse=integer),
    Setting("SCRIPT_MAX_STRING", 1_000_000, "longest string a script may build",
            parse=integer),
    Setting("TIMER_CYCLE_MINIMUM", 60.0, "shortest repetition of a timer cycle in seconds "
            "(shorter ones are refused at deploy)", parse=number, shown_default="`60`"),
)

GUNICORN_SETTINGS = (
    Setting("HOST", "127.0.0.1", "address gunicorn listens on"),
    Setting("PORT", 8000, "port gunicorn listens on", parse=integer),
    Setting("GUNICORN_BIND", "", "full bind address instead of `HOST`/`PORT`, e.g. "
            "`unix:/run/fawang.sock`", shown_default="`HOST:PORT`"),
    Setting("GUNICORN_WORKERS", multiprocessing.cpu_count(), "worker processes",
            parse=integer, shown_default="one per CPU core"),
    Setting("GUNICORN_THREADS", 4, "threads per worker process", parse=integer),
    Setting("GUNICORN_TIMEOUT", 30, "seconds before a silent worker is restarted",
            parse=integer),
    Setting("GUNICORN_MAX_REQUESTS", 50_000, "requests a worker serves before a fresh one "
            "replaces it (give or take a tenth; `0`: never)", parse=integer),
    Setting("GUNICORN_PIN_WORKERS", False, "keep each worker on a CPU of its own (spread over "
            "the CPUs gunicorn may use; a replacement takes its predecessor's): on a machine "
            "that serves this app, 10-30 % more task completions per second "
            "(`docs/performance.md`)", parse=flag),
    Setting("GUNICORN_ACCESSLOG", "-", "access log file; `-` is standard output, empty: none"),
    Setting("FORWARDED_ALLOW_IPS", "127.0.0.1", "proxies trusted for X-Forwarded-* headers"),
)


def read(settings, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Config key → value for each of `settings`, from `environ` (the process's by default)."""
    environ = os.environ if environ is None else environ
    return {s.config_key: s.read(environ) for s in settings}


class Config:
    """The Flask config: the environment's `SETTINGS`, then the fixed values below."""

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    RATELIMIT_HEADERS_ENABLED = True
    BABEL_DEFAULT_LOCALE = "zh"
    LANGUAGES = ("zh", "en")
    API_TITLE = "Fawang workflow API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        for key, value in read(SETTINGS, environ).items():
            setattr(self, key, value)
        if self.SESSION_COOKIE_SECURE is None:
            self.SESSION_COOKIE_SECURE = self.APP_ENV == "production"
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        # How many processes serve this app: GUNICORN_WORKERS when it is set (gunicorn.conf.py
        # checks again with its real count); a command-line run is one process.
        workers = (os.environ if environ is None else environ).get("GUNICORN_WORKERS")
        self.WEB_PROCESSES = integer(workers) if workers else 1


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
    """Refuse to start in production with the public default secret, without an audit key,
    with e-mail links to nowhere, or with per-process rate-limit counters when more than one
    process serves."""
    if config.get("APP_ENV") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET):
        raise SettingError("APP_ENV=production needs a SECRET_KEY environment variable "
                           "(refusing to start with the default secret)")
    if len(config.get("AUDIT_KEY") or "") < MIN_AUDIT_KEY:
        raise SettingError(f"APP_ENV=production needs an AUDIT_KEY environment variable of at "
                           f"least {MIN_AUDIT_KEY} characters (the audit chain's HMAC key)")
    processes = processes if processes is not None else config.get("WEB_PROCESSES", 1)
    storage = (config.get("RATELIMIT_STORAGE_URI") or "memory://").split(":", 1)[0]
    if processes > 1 and storage in ("memory", "memory+async"):
        raise SettingError(
            f"APP_ENV=production with {processes} processes needs RATELIMIT_STORAGE_URI "
            "pointing to a shared store (e.g. redis://127.0.0.1:6379): in-memory counters "
            "would let each process allow the full login limit")
    if config.get("SMTP_HOST") and config.get("BASE_URL") in (None, "", DEFAULT_BASE_URL):
        raise SettingError("APP_ENV=production with SMTP_HOST needs BASE_URL, the site's "
                           "address for links in e-mails")
