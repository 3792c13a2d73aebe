"""A notice's link outlives its task: what became of it is said to those it was offered to,
and to nobody else."""
from engine.models import User
from engine.oversight import supervision
from engine.workflow.whereabouts import COMPLETED, REASSIGNED, WITHDRAWN, whereabouts
from tests.engine.consultation.scenarios.test_disqualification import (
    disqualify,
    fresh_actor,
    queued,
    reassign_to,
)


def asked(play, who: str, task_id: str):
    with play.Session() as s:  # as the person is now (their standing included)
        return whereabouts(s, task_id, fresh_actor(s, play.world.id(who)))


def test_still_yours_and_never_yours_say_nothing(play):
    cid = play.submit()
    task = play.task("wang", "answer_consultation", cid)
    assert asked(play, "wang", task.id) is None  # his to open
    assert asked(play, "li", task.id) is None  # another lawyer's: nothing is said
    assert asked(play, "wang", "00000000-0000-0000-0000-000000000000") is None


def test_a_task_taken_from_its_holder_says_so_once_he_is_back_in_standing(play):
    cid = play.submit()
    task = play.task("wang", "answer_consultation", cid)
    disqualify(play, "wang")
    assert asked(play, "wang", task.id) is None  # a disqualified person is told nothing
    with play.Session() as s:
        supervision.reinstate(s, play.world["supervisor"], play.world.id("wang"), "申诉成立")
        assert s.get(User, play.world.id("wang")).status == "active"
    assert asked(play, "wang", task.id).state == REASSIGNED  # it waits for someone else
    reassign_to(play, queued(play, "answer_consultation", cid).id, "zhao", cid)
    assert asked(play, "zhao", task.id) is None  # the new holder's to open
    assert asked(play, "wang", task.id).state == REASSIGNED  # still said, once handed over
    assert asked(play, "li", task.id) is None  # never his: nothing is said


def test_a_task_the_deadline_withdrew_and_one_done(play):
    cid = play.submit()
    task = play.task("wang", "answer_consultation", cid)
    play.later(hours=5, minutes=1)  # the escalation interrupts the answer stage
    assert asked(play, "wang", task.id).state == WITHDRAWN
    overdue = play.task("duty1", "handle_overdue", cid)
    play.do("duty1", "handle_overdue", cid, overdue_notes="改派")
    done = asked(play, "duty1", overdue.id)
    assert (done.state, done.by_you) == (COMPLETED, True)
    other = asked(play, "duty2", overdue.id)
    assert (other.state, other.by_you) == (COMPLETED, False) and other.by
