"""What one diagram may cost: time per script and per engine step, work, sizes, steps.

A designer is trusted to design, not to hold a web thread or the worker: every script runs
against a ScriptBudget (a deadline, and steps of work charged for every loop round and every
element built) taken
from the StepBudget of the use case that advances the instance (a deadline for all its scripts
and a cap on the tasks one transaction may run). Going over raises ScriptLimitExceeded, which
the runtime turns into an incident on that instance only.
"""
import time
from contextvars import ContextVar, Token
from dataclasses import dataclass, fields, replace

from engine.errors import Message, ScriptLimitExceeded


@dataclass(frozen=True)
class Limits:
    """The budgets; `configure()` replaces the defaults (the web app's settings)."""

    script_seconds: float = 2.0  # SCRIPT_TIME_LIMIT: one script or expression
    step_seconds: float = 5.0  # STEP_TIME_LIMIT: all scripts of one engine step
    max_engine_steps: int = 500  # MAX_ENGINE_STEPS: tasks one transaction may run
    max_work: int = 1_000_000  # SCRIPT_MAX_WORK: steps of work (loop rounds, elements built)
    max_items: int = 100_000  # SCRIPT_MAX_ITEMS: elements of one list, dict, set, tuple
    max_string: int = 1_000_000  # SCRIPT_MAX_STRING: characters of one string
    max_int_bits: int = 100_000  # digits of an integer, in bits (~30,000 decimal digits)
    max_data: int = 1_000_000  # elements + characters/16 of all a script leaves in task data
    timer_cycle_minimum: float = 60.0  # TIMER_CYCLE_MINIMUM: seconds between repetitions


_current = Limits()


def current() -> Limits:
    """The limits in force."""
    return _current


def configure(**values) -> Limits:
    """Set some limits (unknown names are refused); returns the limits now in force."""
    global _current
    known = {f.name for f in fields(Limits)}
    unknown = set(values) - known
    if unknown:
        raise TypeError(f"unknown limits: {sorted(unknown)}")
    _current = replace(_current, **{k: v for k, v in values.items() if v is not None})
    return _current


class StepBudget:
    """The budget of one use case's engine work on one instance: a deadline for its scripts
    (started by its first script or step) and a count of the tasks it runs."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or _current
        self.deadline: float | None = None
        self.steps = 0

    def reset(self) -> None:
        """A fresh budget, under the limits now in force, for the next use case."""
        self.limits, self.deadline, self.steps = _current, None, 0

    def begin(self) -> float:
        if self.deadline is None:
            self.deadline = time.monotonic() + self.limits.step_seconds
        return self.deadline

    def script(self) -> "ScriptBudget":
        """A budget for one script: its own time limit, within what is left of the step's."""
        deadline = min(self.begin(), time.monotonic() + self.limits.script_seconds)
        return ScriptBudget(deadline, self.limits)

    def task_done(self, task) -> None:
        """Called after every task the engine runs (do_engine_steps' callback)."""
        self.steps += 1
        where = getattr(task.task_spec, "bpmn_id", None) or task.task_spec.name
        if self.steps > self.limits.max_engine_steps:
            raise ScriptLimitExceeded(
                Message("一次操作自动执行的步骤超过 {n} 个（循环未停止？）",
                        n=self.limits.max_engine_steps),
                detail=f"{where}: more than {self.limits.max_engine_steps} engine steps "
                       "in one transaction")
        if time.monotonic() > self.begin():
            raise ScriptLimitExceeded(
                Message("一次操作的自动步骤运行超过 {s} 秒", s=f"{self.limits.step_seconds:g}"),
                detail=f"{where}: engine step over {self.limits.step_seconds:g} s")


class ScriptBudget:
    """One script's deadline and steps of work: a step is a loop round or an element the
    script builds (a list's items, a string's characters by sixteen), so a loop that builds
    big copies runs out as surely as one that spins."""

    __slots__ = ("deadline", "left", "limits")

    def __init__(self, deadline: float, limits: Limits):
        self.deadline, self.left, self.limits = deadline, limits.max_work, limits

    def charge(self, steps: int) -> None:
        self.left -= steps
        if self.left < 0:
            raise ScriptLimitExceeded(
                Message("脚本的运算超过 {n} 步（循环或生成的数据过多）", n=self.limits.max_work),
                detail=f"over {self.limits.max_work} steps of work "
                       "(loop rounds, elements built)")
        if time.monotonic() > self.deadline:
            raise ScriptLimitExceeded(
                Message("脚本运行超过时间限制（{s} 秒）", s=f"{self.limits.script_seconds:g}"),
                detail=f"over the time limit ({self.limits.script_seconds:g} s)")

    def tick(self) -> None:
        """One loop round (called at the top of every `while` body)."""
        self.charge(1)

    def iterate(self, iterable):
        """Iterate with a tick per item: comprehensions and for loops go through here."""
        charge = self.charge
        for item in iterable:
            charge(1)
            yield item

    def start(self) -> Token:
        """From now until `stop(token)`, the guards charge what is built to this budget."""
        return _running.set(self)


def stop(token: Token) -> None:
    _running.reset(token)


_running: ContextVar[ScriptBudget | None] = ContextVar("script_budget", default=None)


def charge(steps: int) -> None:
    """Charge the running script (if any) for `steps` of work."""
    budget = _running.get()
    if budget is not None:
        budget.charge(steps)
