"""Scenarios 6 and 10: the 5-hour answer stage, and closing after 7 days without feedback."""
from datetime import timedelta

import pytest

from engine.errors import NotFound, TaskConflict
from engine.models import Answer, SlaBreach, utcnow
from engine.workflow import tasks
from tests.engine.consultation.scenarios.conftest import T0


def test_reminder_at_4h_escalation_at_5h_and_a_fresh_5h_for_the_next_lawyer(play, world):
    cid = play.submit()
    first = play.task("wang", "answer_consultation", cid)
    assert first.due_at == T0 + timedelta(hours=5)

    play.later(hours=4, minutes=1)
    assert [n.kind for n in play.notices("wang", cid)] == ["task_assigned", "reminder"]
    assert play.task("wang", "answer_consultation", cid).id == first.id  # not interrupted
    assert play.rows(SlaBreach, cid) == []

    play.later(hours=1)
    assert play.inbox("wang", cid) == []
    [breach] = play.rows(SlaBreach, cid)
    assert (breach.stage, breach.user_id) == ("answer", world.id("wang"))
    for duty in ("duty1", "duty2"):
        assert play.keys(duty, cid) == ["handle_overdue"]
        assert [n.kind for n in play.notices(duty, cid)] == ["escalation"]
    with pytest.raises((NotFound, TaskConflict)):  # the late lawyer can no longer answer
        with play.Session() as s:
            tasks.complete(s, first.id, world["wang"], {"decision": "answer",
                                                        "answer_text": "迟到的答复"})

    play.do("duty1", "handle_overdue", cid, overdue_notes="王律师未按时解答，自动改派")
    second = play.task("zhao", "answer_consultation", cid)  # never the lawyer who was late
    assert second.due_at == utcnow() + timedelta(hours=5)
    assert [n.kind for n in play.notices("zhao", cid)] == ["task_assigned"]
    assert play.view("duty1", cid).lawyer_name == "赵律师"

    play.later(hours=4, minutes=59)  # within the new lawyer's own five hours
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text="请申请仲裁。")
    assert len(play.rows(SlaBreach, cid)) == 1
    [answer] = play.rows(Answer, cid)
    assert answer.author_id == world.id("zhao")


def test_the_duty_officer_may_choose_the_next_lawyer(play, world):
    cid = play.submit()
    play.later(hours=5, minutes=1)
    play.do("duty2", "handle_overdue", cid, next_lawyer_id=world.id("sun"))
    assert play.keys("sun", cid) == ["answer_consultation"]
    assert play.inbox("duty1", cid) == []


def test_the_deadline_covers_delegation_too(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    play.later(hours=5, minutes=1)
    assert play.inbox("chen", cid) == []
    assert [b.user_id for b in play.rows(SlaBreach, cid)] == [world.id("wang")]
    assert play.keys("duty1", cid) == ["handle_overdue"]


def test_no_feedback_within_7_days_closes_the_consultation(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text="请申请仲裁。")
    play.later(days=6, hours=23)
    assert play.keys("citizen1", cid) == ["rate_answer"]
    assert play.view("citizen1", cid).status == "answered"

    play.later(hours=1, minutes=1)
    view = play.view("citizen1", cid)
    assert view.status == "closed" and view.closed_at is not None
    assert play.inbox("citizen1", cid) == []
    closed = play.notices("citizen1", cid, "closed")
    assert len(closed) == 1 and "7 日内未作评价" in closed[0].body
    assert play.instance(cid).status == "completed"
