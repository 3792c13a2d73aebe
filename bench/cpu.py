"""Where the CPU went during a benchmark: gunicorn workers, PostgreSQL, the load clients.

Reads /proc (Linux): user+system ticks of the server's process tree, of every `postgres`
process, and of this process. A gunicorn worker that exits during a measurement (gunicorn
restarts each worker after `max_requests`) is counted through its master, which reaps it:
its ticks move to the master's "children" ticks, so the tree's total never loses them (and
likewise a PostgreSQL backend whose connection closed, through the postmaster).
"""
import os
import resource
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, int, float, float] | None:
    """(command, parent pid, cpu seconds, cpu seconds of its reaped children) of one process,
    or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    command = text[text.index("(") + 1:text.rindex(")")]
    fields = text[text.rindex(")") + 2:].split()
    return (command, int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK,
            (int(fields[13]) + int(fields[14])) / TICK)


def _all() -> dict[int, tuple[str, int, float, float]]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (info := _stat(int(entry))) is not None:
            found[int(entry)] = info
    return found


class CpuMeter:
    """CPU seconds used between start() and stop(), by group."""

    def __init__(self, server_pid: int):
        self.server_pid = server_pid

    def _sample(self) -> dict[str, float]:
        procs = _all()
        tree = {self.server_pid} | {p for p, (_c, ppid, _s, _r) in procs.items()
                                    if ppid == self.server_pid}
        own = resource.getrusage(resource.RUSAGE_SELF)
        reaped = procs[self.server_pid][3] if self.server_pid in procs else 0.0
        return {"gunicorn": sum(procs[p][2] for p in tree if p in procs) + reaped,
                # the postmaster's reaped children: backends whose connection closed
                "postgres": sum(s + r for c, _pp, s, r in procs.values()
                                if c.startswith("postgres")),
                "load clients": own.ru_utime + own.ru_stime}

    def start(self) -> None:
        self.before = self._sample()

    def stop(self) -> dict[str, float]:
        after = self._sample()
        return {k: after[k] - self.before[k] for k in after}
