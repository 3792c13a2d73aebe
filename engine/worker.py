"""The worker loop: sweep timers, deliver e-mail, anchor the audit chain, checkpoint SQLite's
write-ahead log, sleep until due.

SIGTERM (and Ctrl-C) only set a stop flag: the instance being fired finishes its
transaction, then the loop exits. Several workers may run against one PostgreSQL database.
"""
import logging
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from engine.audit.anchor import AnchorSchedule
from engine.db import checkpoint, is_outage
from engine.models import utcnow
from engine.notifications import delivery
from engine.workflow import timers

log = logging.getLogger(__name__)
MIN_SLEEP = 0.5  # never spin on a row that stays due (e.g. one another worker holds)


@dataclass
class LoopStats:
    """What a worker loop met: sweeps done, and errors survived (outages among them)."""

    sweeps: int = 0
    errors: int = 0
    outages: int = 0


def run(sessions: sessionmaker[Session], smtp_config: delivery.SmtpConfig | None,
        poll_interval: float = 5.0, once: bool = False,
        stop_event: threading.Event | None = None,
        anchors: AnchorSchedule | None = None) -> LoopStats:
    """Run sweeps until stopped (or once); without `smtp_config` e-mail stays queued.

    Nothing one sweep meets ends the loop: the error is logged and counted, and the next
    sweep runs after `poll_interval` (with --once the error is raised, for cron to see)."""
    stop = stop_event or threading.Event()
    stats = LoopStats()
    with _stop_on_signals(stop):
        while not stop.is_set():
            try:
                step(sessions, smtp_config, stop, anchors)
                stats.sweeps += 1
                delay = sleep_for(sessions, poll_interval)
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any one sweep
                if once:
                    raise
                _survived(exc, stats, poll_interval)
                delay = poll_interval
            if once:
                break
            stop.wait(delay)
    return stats


def _survived(exc: Exception, stats: LoopStats, poll_interval: float) -> None:
    stats.errors += 1
    if is_outage(exc):
        stats.outages += 1
        log.warning("database unavailable (%d so far), retrying in %.0fs: %s",
                    stats.outages, poll_interval, exc)
    else:
        log.exception("sweep failed (%d errors so far), retrying in %.0fs",
                      stats.errors, poll_interval)


def step(sessions: sessionmaker[Session], smtp_config: delivery.SmtpConfig | None,
         stop: threading.Event, anchors: AnchorSchedule | None = None) -> timers.SweepResult:
    """One sweep of due timers, one round of e-mail delivery, the audit anchor when due, and
    a checkpoint of SQLite's write-ahead log."""
    result = timers.sweep(sessions, stop=stop.is_set)
    if result.fired or result.failed or result.conflicts:
        log.info("timers: %d instances fired (%d timers), %d failed, %d incidents, "
                 "%d taken by another worker", result.fired, result.timers, result.failed,
                 result.incidents, result.conflicts)
    for instance_id, error in result.errors:
        log.warning("instance %s failed: %s", instance_id, error)
    if smtp_config is not None and not stop.is_set():
        mail = delivery.deliver_pending(sessions, smtp_config)
        if mail.sent or mail.retried or mail.failed:
            log.info("mail: %d sent, %d to retry, %d failed, %d skipped",
                     mail.sent, mail.retried, mail.failed, mail.skipped)
    if anchors is not None and not stop.is_set():
        anchors.maybe_write(sessions)
    checkpoint(sessions.kw["bind"])  # SQLite's log, off the requests' path
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
