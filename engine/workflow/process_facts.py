"""Facts a deployed version states in its diagrams, read from its files once per version.

Today: each user task's deadline, i.e. the duration of the timer boundary events on the task
or on a subprocess enclosing it (the same rule as the inbox's due time in `projection.due_at`:
an interrupting timer is the deadline; a non-interrupting one counts only when there is no
interrupting timer). Pages, notices and reports ask here instead of repeating the number.
"""
import ast
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from threading import Lock

from lxml import etree
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition

from engine.models import ProcessVersion

NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
_B = "{" + NS["bpmn"] + "}"
# Months and years have no fixed length: measure them from a fixed day, as a designer reads
# "P1M" (about 30 days); the running timer uses the real calendar.
_EPOCH = datetime(2001, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ProcessFacts:
    """What one version's diagrams say; `deadlines` maps (process id, task id) to a duration."""

    deadlines: dict[tuple[str, str], timedelta] = field(default_factory=dict)

    def deadline(self, task_id: str, process_id: str | None = None) -> timedelta | None:
        """The deadline of user task `task_id` in `process_id` (else in whichever process of
        the version has that task: ids are unique in practice, and a task inside an embedded
        subprocess knows only the subprocess's id)."""
        if (process_id, task_id) in self.deadlines:
            return self.deadlines[(process_id, task_id)]
        return next((d for (_, task), d in self.deadlines.items() if task == task_id), None)


def duration_of(expression: str | None) -> timedelta | None:
    """The timedelta of a timer's duration expression (a quoted ISO 8601 literal such as
    '"PT5H"'); None when it is computed at run time or is not a duration."""
    try:
        value = ast.literal_eval((expression or "").strip())
        parsed = TimerEventDefinition.parse_iso_duration(value)
        return TimerEventDefinition.get_timedelta_from_start(parsed, _EPOCH)
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises a bare Exception on bad input
        return None


def hours(deadline: timedelta | None) -> int | float | None:
    """A deadline in hours as people write it: 5, 1.5 (None stays None)."""
    if deadline is None:
        return None
    value = round(deadline.total_seconds() / 3600, 2)
    return int(value) if value == int(value) else value


def _boundary_timers(process) -> dict[str, list[tuple[bool, timedelta | None]]]:
    """(interrupting, duration) of the timer boundary events, by the element they sit on; the
    duration is None when only the running instance knows it (a computed expression, a date)."""
    found: dict[str, list] = {}
    for event in process.iter(f"{_B}boundaryEvent"):
        timer = event.find(f"{_B}timerEventDefinition")
        if timer is None:
            continue
        node = timer.find(f"{_B}timeDuration")
        duration = duration_of(node.text if node is not None else None)
        interrupting = event.get("cancelActivity", "true").lower() != "false"
        found.setdefault(event.get("attachedToRef"), []).append((interrupting, duration))
    return found


def _task_deadline(task, timers: dict) -> timedelta | None:
    hard, soft = [], []
    node = task
    while node is not None and node.tag != f"{_B}process":
        for interrupting, duration in timers.get(node.get("id"), ()):
            (hard if interrupting else soft).append(duration)
        node = node.getparent()
    chosen = hard or soft
    # A deadline computed at run time cannot be stated in advance: say nothing rather than
    # name a reminder's time as the deadline.
    return None if not chosen or None in chosen else min(chosen)


def _parse(files: dict[str, str]) -> ProcessFacts:
    deadlines = {}
    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        root = etree.fromstring(text.encode("utf-8"))
        for process in root.iter(f"{_B}process"):
            timers = _boundary_timers(process)
            for task in process.iter(f"{_B}userTask"):
                deadline = _task_deadline(task, timers)
                if deadline is not None:
                    deadlines[(process.get("id"), task.get("id"))] = deadline
    return ProcessFacts(deadlines)


_cache: dict[tuple[str, str], ProcessFacts] = {}
_lock = Lock()


def process_facts(version: ProcessVersion) -> ProcessFacts:
    """The facts of a deployed version (its files never change: parsed once, kept)."""
    key = (version.key, version.checksum)
    facts = _cache.get(key)
    if facts is None:
        facts = _parse(dict(version.files))
        with _lock:
            _cache[key] = facts
    return facts
