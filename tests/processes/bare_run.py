"""Fake helpers and a small driver for running the diagrams on bare SpiffWorkflow
(test_diagrams_smoke.py): every helper call is recorded and answered predictably."""
from datetime import UTC, datetime, timedelta

import time_machine
from helpers_contract import HELPERS
from SpiffWorkflow.util.task import TaskState

from engine.consultation.helpers import platform

LAWYERS = [101, 102, 103, 104]
INSTITUTIONS = [501, 502, 503, 504, 505, 506]


class FieldError(Exception):
    pass


class FakeHelpers:
    """Records every helper call; returns predictable ids."""

    def __init__(self):
        self.calls: list[tuple] = []
        self.flagged: set[str] = set()

    def env(self) -> dict:
        return {name: self.recorder(name) for name in HELPERS}

    def recorder(self, name):
        def call(*args):
            self.calls.append((name, *args))
            return getattr(self, name, lambda *a: None)(*args)
        return call

    def named(self, name) -> list[tuple]:
        return [c[1:] for c in self.calls if c[0] == name]

    def report_flags(self, consultation_id, sensitive, attention):
        new = [f for f, on in (("sensitive", sensitive), ("attention", attention))
               if on and f not in self.flagged]
        self.flagged.update(new)
        return new

    def find_lawyer(self, consultation_id, category, exclude):
        return next((u for u in LAWYERS if u not in exclude), None)

    def qualified_institution(self, consultation_id, institution_id, exclude):
        return institution_id or self.find_institution(consultation_id, exclude)

    def pick_institution(self, consultation_id, exclude):
        return next(i for i in INSTITUTIONS if i not in exclude)

    def find_institution(self, consultation_id, exclude):
        return next((i for i in INSTITUTIONS if i not in exclude), None)

    def check_touting(self, text, keep, field):
        return False  # the real scan is tested in tests/engine; held answers in scenarios

    def matches(self, text, pattern):
        return platform.matches(None, text, pattern)  # the real helper: it keeps no state

    def institution_of(self, user_id):
        return 500

    def publish_answer(self, *args):
        return len(self.named("publish_answer"))

    def require(self, condition, field, message):
        if not condition:
            raise FieldError(field)


def ready(wf) -> list[str]:
    return sorted(t.task_spec.name for t in wf.get_tasks(state=TaskState.READY, manual=True))


def complete(wf, name, **data):
    [task] = [t for t in wf.get_tasks(state=TaskState.READY, manual=True)
              if t.task_spec.name == name]
    task.data.update(data)
    task.run()
    wf.do_engine_steps()


def later(wf, **delta):
    with time_machine.travel(datetime.now(UTC) + timedelta(**delta), tick=False):
        wf.refresh_timers()
        wf.do_engine_steps()


def rate(wf, satisfied=True, wants_referral=False):
    complete(wf, "rate_answer", satisfied=satisfied, feedback_comment="",
             wants_referral=wants_referral)
