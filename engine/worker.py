"""The worker loop: sweep timers, deliver e-mail, sleep until the next due time.

SIGTERM (and Ctrl-C) only set a stop flag: the instance being fired finishes its
transaction, then the loop exits. Several workers may run against one PostgreSQL database.
"""
import logging
import signal
import threading
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from engine.models import utcnow
from engine.notifications import outbox
from engine.workflow import timers

log = logging.getLogger(__name__)
MIN_SLEEP = 0.5  # never spin on a row that stays due (e.g. one another worker holds)


def run(sessions: sessionmaker[Session], smtp_config: outbox.SmtpConfig | None,
        poll_interval: float = 5.0, once: bool = False,
        stop_event: threading.Event | None = None) -> None:
    """Run sweeps until stopped (or once); without `smtp_config` e-mail stays queued."""
    stop = stop_event or threading.Event()
    with _stop_on_signals(stop):
        while not stop.is_set():
            try:
                step(sessions, smtp_config, stop)
            except OperationalError as exc:
                if once:
                    raise
                log.warning("database unavailable, retrying in %.0fs: %s", poll_interval, exc)
                stop.wait(poll_interval)
                continue
            if once:
                return
            stop.wait(sleep_for(sessions, poll_interval))


def step(sessions: sessionmaker[Session], smtp_config: outbox.SmtpConfig | None,
         stop: threading.Event) -> timers.SweepResult:
    """One sweep of due timers, then one round of e-mail delivery."""
    result = timers.sweep(sessions, stop=stop.is_set)
    if result.fired or result.failed or result.conflicts:
        log.info("timers: %d instances fired (%d timers), %d failed, %d incidents, "
                 "%d taken by another worker", result.fired, result.timers, result.failed,
                 result.incidents, result.conflicts)
    for instance_id, error in result.errors:
        log.warning("instance %s failed: %s", instance_id, error)
    if smtp_config is not None and not stop.is_set():
        mail = outbox.deliver_pending(sessions, smtp_config)
        if mail.sent or mail.retried or mail.failed:
            log.info("mail: %d sent, %d to retry, %d failed, %d skipped",
                     mail.sent, mail.retried, mail.failed, mail.skipped)
    return result


def sleep_for(sessions: sessionmaker[Session], poll_interval: float,
              now: datetime | None = None) -> float:
    """Seconds until the earliest due timer, capped by the poll interval."""
    with sessions() as session:
        due = timers.next_due(session)
    if due is None:
        return poll_interval
    seconds = (due - (now or utcnow())).total_seconds()
    return max(min(seconds, poll_interval), min(MIN_SLEEP, poll_interval))


@contextmanager
def _stop_on_signals(stop: threading.Event):
    """Turn SIGTERM/SIGINT into the stop flag while the loop runs (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, _frame):
        log.info("signal %s: finishing the current instance, then stopping", signum)
        stop.set()

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
