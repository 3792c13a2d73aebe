"""The invariant walker: random consultations through the real diagrams, the rules checked
after every step.

Hypothesis' stateful testing plays every role at random: citizens ask (clean questions,
questions hinting at a concluded or pending case), anyone with a ready task completes it with
data drawn from the task's own form (so new fields are covered), duty officers reassign queued
work, supervisors disqualify and reinstate lawyers, the clock jumps past deadlines and the real
timer sweep runs, and forms are sent broken (refused, nothing changed). After each step the
rules of walk_invariants are read from the database. Run on SQLite only: it is about the
diagrams and the engine, not the database, and must stay within CI's time.
"""
import time
from datetime import timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import delete, select, update

from engine.actor import Actor
from engine.consultation import cases
from engine.consultation import reassign as reassigning
from engine.errors import InvalidInput, NotAllowed, TaskConflict
from engine.models import ACTIVE, Base, HumanTask, ProcessInstance, User
from engine.oversight import supervision
from engine.uow import read_only
from engine.workflow import live, tasks, versions
from tests.engine.consultation import walk_forms as forms
from tests.engine.consultation import walk_invariants as rules
from tests.engine.consultation.scenarios.conftest import T0, assert_reloads, fire_due_timers
from tests.engine.consultation.walk_reads import WalkReads
from tests.factories import PEOPLE, PROCESSES, seed

KEPT = {"process_version", "process_draft", "user_account", "institution"}
OPEN_AT_ONCE = 12  # running consultations: more would spread the steps too thin
JUMPS = (timedelta(minutes=30), timedelta(hours=2, minutes=1), timedelta(hours=4, minutes=1),
         timedelta(hours=5, minutes=1), timedelta(hours=24, minutes=1),
         timedelta(hours=48, minutes=1), timedelta(days=7, hours=1))
FIGURES = {"examples": 0, "consultations": 0, "steps": 0, "completions": 0, "refusals": 0,
           "reassignments": 0, "disqualifications": 0, "timer_sweeps": 0,
           "invariant_violations": 0}
SETTINGS = settings(max_examples=55, stateful_step_count=40, deadline=None, derandomize=True,
                    database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.function_scoped_fixture])


def reset(Session, world) -> None:
    """Start an example from the seeded world: no consultations, statuses as seeded."""
    live.clear()
    with Session() as s:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in KEPT:
                s.execute(delete(table))
        for username, (*_, status) in PEOPLE.items():
            s.execute(update(User).where(User.id == world.id(username)).values(status=status))
        s.commit()


class Walk(WalkReads, RuleBasedStateMachine):
    """One example: a run of random steps from the seeded world."""

    Session = world = clock = None  # set by the test before the run

    def __init__(self):
        super().__init__()
        reset(self.Session, self.world)
        self.clock.move_to(T0)  # each example replays the same: same clock, same ids
        self.answers_seen, self.answers_shown = rules.Watch(), rules.Watch()
        FIGURES["examples"] += 1
        self.turn, self.last, self.cache = 0, {"later": 0, "sanction": 0}, {}
        with self.Session() as s:
            users = list(s.scalars(select(User)))
        by_role = {r: [u.id for u in users if u.role == r] for r in ("lawyer", "staff", "expert")}
        self.people = {"lawyers": by_role["lawyer"], "staff": by_role["staff"],
                       "experts": by_role["expert"], "institutions":
                       list(self.world.institutions.values()),
                       "others": [u.id for u in users if u.role not in by_role]}

    # ----- steps -----------------------------------------------------------------------------

    @precondition(lambda self: self._open() < OPEN_AT_ONCE)
    @rule(data=st.data())
    def submit(self, data):
        """A citizen asks: a clean question, or one whose words hint at a case."""
        draw = data.draw
        question = draw(st.sampled_from(forms.CLEAN_QUESTIONS + forms.HINT_QUESTIONS))
        fields = {"title": question[:12], "question": question,
                  "category": draw(st.sampled_from(["labor", "family", "contract", "other"])),
                  "case_status": draw(st.sampled_from(forms.DECLARED)),
                  "vulnerable": draw(st.booleans()), "contact_phone": "13900001111",
                  "district": "东城区"}
        citizen = draw(st.sampled_from(["citizen1", "citizen2"]))
        with self.Session() as s:
            info = cases.submit(s, self.world[citizen], fields)
        FIGURES["consultations"] += 1
        self._step()
        with self.Session() as s, read_only(s):
            instance_id = s.scalar(select(ProcessInstance.id)
                                   .where(ProcessInstance.business_key == str(info.id)))
        if info.id % 5 == 0:  # a sample: the reload check costs as much as the submission
            assert_reloads(self.Session, instance_id)

    @precondition(lambda self: bool(self.ready()))
    @rule(data=st.data(), count=st.integers(1, 4))
    def complete(self, data, count):
        """Whoever holds ready tasks completes them with data drawn from their forms."""
        for _ in range(count):
            found = self._ready(False)
            if not found:
                return
            self._complete(data.draw(st.sampled_from(found)), data.draw)

    def _complete(self, h: HumanTask, draw) -> None:
        user = self.holder(h, draw)
        if user is None:
            return
        with self.Session() as s:
            form = tasks.get_task(s, h.id, Actor.of(user)).form
        payload = forms.valid_data(form, draw, self.people)
        before = self.footprint(h)
        try:
            with self.Session() as s:
                tasks.complete(s, h.id, Actor.of(user), payload)
        except InvalidInput:  # the diagram's own checks (e.g. touting not kept): no change
            FIGURES["refusals"] += 1
            assert self.footprint(h) == before, (h.bpmn_id, payload)
        except NotAllowed:
            assert user.status != ACTIVE, (h.bpmn_id, user.username)
            assert self.footprint(h) == before
        except TaskConflict:
            pass
        else:
            FIGURES["completions"] += 1
            if FIGURES["completions"] % 3 == 0:  # a sample: a reload costs a completion
                assert_reloads(self.Session, h.instance_id)
        self._step()

    @precondition(lambda self: bool(self.ready()))
    @rule(data=st.data())
    def complete_badly(self, data):
        """A form sent broken is refused with field errors, and nothing changes."""
        h = data.draw(st.sampled_from(self.ready()))
        user = self.holder(h, data.draw)
        if user is None or user.status != ACTIVE:
            return
        with self.Session() as s:
            form = tasks.get_task(s, h.id, Actor.of(user)).form
        payload = forms.invalid_data(form, data.draw, self.people)
        before = self.footprint(h)
        try:
            with self.Session() as s:
                tasks.complete(s, h.id, Actor.of(user), payload)
        except InvalidInput as exc:
            assert exc.fields, payload
        else:
            raise AssertionError(f"{h.bpmn_id} accepted broken data {payload}")
        assert self.footprint(h) == before
        self._step()

    @precondition(lambda self: bool(self.ready(queued=None)))
    @rule(data=st.data())
    def reassign(self, data):
        """A duty officer hands a queued (or any assigned) task to someone the picker offers."""
        queued = self.ready(queued=True)
        found = queued or [h for h in self.ready() if h.assignee_id is not None]
        if not found:
            return
        h = data.draw(st.sampled_from(found))
        officer = self.world[data.draw(st.sampled_from(["duty1", "duty2"]))]
        try:
            with self.Session() as s:
                offered = reassigning.candidates(s, h.id, officer)
        except NotAllowed:  # only queued work is reassignable: someone holds this one
            assert not queued
            return
        if not offered:
            return
        new_id, _ = data.draw(st.sampled_from(offered))
        before = self.footprint(h)
        try:
            with self.Session() as s:
                reassigning.reassign_task(s, h.id, new_id, officer)
        except (InvalidInput, TaskConflict):
            assert self.footprint(h) == before
        else:
            FIGURES["reassignments"] += 1
            assert_reloads(self.Session, h.instance_id)
        self._step()

    @precondition(lambda self: self._quiet("sanction", 6) and len(self._lawyers(ACTIVE)) > 2)
    @rule(data=st.data())
    def disqualify(self, data):
        """A supervisor disqualifies an active lawyer (while enough others stay to answer)."""
        active = self._lawyers(ACTIVE)
        lawyer_id = data.draw(st.sampled_from(active))
        with self.Session() as s:
            supervision.disqualify(s, self.world["supervisor"], lawyer_id, "违规招揽线下业务")
        FIGURES["disqualifications"] += 1
        self.last["sanction"] = self.turn
        self._step()

    @precondition(lambda self: self._quiet("sanction", 6))
    @rule(data=st.data())
    def reinstate(self, data):
        """A supervisor gives a disqualified lawyer their status back."""
        out = self._lawyers("disqualified")
        if not out:
            return
        with self.Session() as s:
            supervision.reinstate(s, self.world["supervisor"], data.draw(st.sampled_from(out)),
                                  "整改完毕")
        self.last["sanction"] = self.turn
        self._step()

    @precondition(lambda self: self._quiet("later", 3))
    @rule(jump=st.sampled_from(JUMPS))
    def later(self, jump):
        """Time passes past a deadline; the real timer sweep runs as the worker would."""
        self.clock.shift(jump)
        fire_due_timers(self.Session)
        FIGURES["timer_sweeps"] += 1
        self.last["later"] = self.turn
        self._step()

    def _quiet(self, what: str, steps: int) -> bool:
        """Rarer steps wait for a few others in between, so consultations get somewhere."""
        return self.turn - self.last[what] >= steps

    def _step(self) -> None:
        self.turn, self.cache = self.turn + 1, {}
        FIGURES["steps"] += 1

    # ----- the rules -------------------------------------------------------------------------

    def _holds(self, check, *args) -> None:
        with self.Session() as s, read_only(s):
            found = check(s, *args)
        FIGURES["invariant_violations"] += len(found)
        assert not found, "\n".join(found)

    @invariant()
    def published_by_someone_in_good_standing(self):
        with self.Session() as s, read_only(s):
            new, _ = self.answers_seen.new_answers(s)
        self._holds(rules.standing, new)

    @invariant()
    def no_reanswer_by_a_previous_answerer(self):
        self._holds(rules.no_reanswer)

    @invariant()
    def nothing_touting_shown_unreleased(self):
        with self.Session() as s, read_only(s):
            _, changed = self.answers_shown.new_answers(s)
        self._holds(rules.no_touting_shown, changed)

    @invariant()
    def every_running_instance_waits_on_a_task_or_a_timer(self):
        self._holds(rules.no_dead_end)

    @invariant()
    def no_task_held_by_an_inactive_person(self):
        self._holds(rules.no_task_held_by_the_inactive)


@pytest.fixture
def walk(db_engine, Session):
    """The seeded world with processes/ deployed, on SQLite, under a clock the walk moves."""
    if db_engine.dialect.name != "sqlite":
        pytest.skip("the walker runs on SQLite only (CI time); the rules are the diagrams'")
    with Session() as s:
        world = seed(s)
        versions.deploy(s, [PROCESSES])
    with time_machine.travel(T0, tick=False) as clock:
        Walk.Session, Walk.world, Walk.clock = Session, world, clock
        yield


def test_the_rules_hold_on_every_path(walk):
    started = time.monotonic()
    try:
        run_state_machine_as_test(Walk, settings=SETTINGS)
    finally:
        FIGURES["seconds"] = round(time.monotonic() - started, 1)
        print("\ninvariant walker:", ", ".join(f"{k} {v}" for k, v in FIGURES.items()))
    assert FIGURES["invariant_violations"] == 0
    assert FIGURES["consultations"] >= 300, FIGURES
