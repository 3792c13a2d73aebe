"""Gunicorn settings; every value can be overridden from the environment."""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:"
                      f"{os.environ.get('PORT', '8000')}")
# Requests are short and CPU-bound (workflow (de)serialization): one process per core, a few
# threads each to overlap database round trips.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-") or None  # "" turns it off
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    """Refuse to start before forking when the settings are unsafe for this many workers
    (e.g. production rate limits counted per process)."""
    from web.config import Config, check_production

    check_production(vars(Config()), processes=server.cfg.workers)
