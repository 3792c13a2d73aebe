"""Gunicorn settings; the environment variables it reads are declared in `web/config.py`."""
import gc
import os

from web.config import GUNICORN_SETTINGS, read

_env = read(GUNICORN_SETTINGS)
_INSTANCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "instance")

bind = _env["GUNICORN_BIND"] or f"{_env['HOST']}:{_env['PORT']}"
# Requests are short and CPU-bound (workflow (de)serialization): one process per core, a few
# threads each to overlap database round trips.
workers = _env["GUNICORN_WORKERS"]
threads = _env["GUNICORN_THREADS"]
worker_class = "gthread"
timeout = _env["GUNICORN_TIMEOUT"]
graceful_timeout = 20
keepalive = 5
# A fresh worker costs seconds of CPU (imports, the app) and starts with an empty cache of
# live workflows, whose bound (engine.workflow.live) keeps a worker's memory flat, so the
# replacement is a safety net, not a routine; the jitter keeps workers from leaving together.
max_requests = _env["GUNICORN_MAX_REQUESTS"]
max_requests_jitter = max_requests // 10
accesslog = _env["GUNICORN_ACCESSLOG"] or None  # "" turns it off
forwarded_allow_ips = _env["FORWARDED_ALLOW_IPS"]
# `gunicornc` talks to the server through this socket: beside the database, not in $HOME.
control_socket = os.path.join(_INSTANCE, "gunicorn.ctl")


def on_starting(server):
    """Refuse to start before forking when the settings are unsafe for this many workers
    (e.g. production rate limits counted per process)."""
    from web.config import Config, check_production

    config = Config()
    check_production({k: getattr(config, k) for k in dir(config) if k.isupper()},
                     processes=server.cfg.workers)


def pre_fork(server, worker):
    """With GUNICORN_PIN_WORKERS, give the new worker the first CPU no other worker holds (a
    replacement takes its predecessor's): a worker that stays on its core keeps its caches
    warm, where one moved between cores or sharing one with its sibling starts cold."""
    if _env["GUNICORN_PIN_WORKERS"]:
        cpus = sorted(os.sched_getaffinity(0))
        held = [getattr(w, "cpu", None) for w in server.WORKERS.values()]
        worker.cpu = min(cpus, key=lambda c: (held.count(c), c))


def post_fork(server, worker):
    """The worker process moves to the CPU `pre_fork` chose for it."""
    if getattr(worker, "cpu", None) is not None:
        os.sched_setaffinity(0, {worker.cpu})


def post_worker_init(worker):
    """Keep what the worker loaded (modules, the app, its extensions) out of garbage
    collection: a full collection then walks only what requests left behind, not the ~140,000
    objects of the loaded app each time (`python bench/gc_pauses.py`: the longest pause on a
    run of consultations 66.5 ms as loaded, 3.4 ms frozen; docs/performance.md)."""
    gc.collect()
    gc.freeze()
    worker.log.info("Worker %s: %d objects loaded at start kept out of garbage collection",
                    worker.pid, gc.get_freeze_count())
