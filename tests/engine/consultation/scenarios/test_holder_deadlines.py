"""The clock belongs to whoever holds the work: a new holder gets a fresh 5 hours from their
notification, the reminder reaches them, and a breach is charged to them."""
from datetime import timedelta

from sqlalchemy import select

from engine.models import Answer, AuditEvent, Consultation, SlaBreach, User, utcnow
from engine.oversight import standing, supervision
from tests.engine.consultation.scenarios.conftest import T0
from tests.engine.consultation.scenarios.test_disqualification import (
    disqualify,
    picker,
    queued,
    reassign_to,
)


def kinds(play, who, cid):
    return [n.kind for n in play.notices(who, cid)]


def test_reassigned_at_4h30_gets_a_fresh_5h_and_the_breach_is_charged_to_the_holder(play, world):
    cid = play.submit()
    play.later(hours=4, minutes=1)
    assert kinds(play, "wang", cid) == ["task_assigned", "reminder"]
    play.later(minutes=29)  # 4 h 30
    disqualify(play, "wang")
    reassign_to(play, queued(play, "answer_consultation", cid).id, "zhao", cid)
    handed_over = utcnow()
    assert handed_over == T0 + timedelta(hours=4, minutes=30)

    task = play.task("zhao", "answer_consultation", cid)
    assert task.due_at == handed_over + timedelta(hours=5)
    with play.Session() as s:
        row = s.get(Consultation, cid)
        assert (row.lawyer_id, row.notified_at) == (world.id("zhao"), handed_over)

    play.later(minutes=31)  # 5 h after the first notification: the old clock is gone
    assert play.rows(SlaBreach, cid) == [] and play.keys("duty1", cid) == []
    assert play.task("zhao", "answer_consultation", cid).id == task.id

    play.later(hours=3, minutes=31)  # 4 h 01 after the handover: the new holder is reminded
    assert kinds(play, "zhao", cid) == ["task_reassigned", "reminder"]
    assert kinds(play, "wang", cid) == ["task_assigned", "reminder"]  # nothing more for him

    play.later(hours=1)  # 5 h 01 after the handover: the breach is the holder's
    [breach] = play.rows(SlaBreach, cid)
    assert (breach.stage, breach.user_id) == ("answer", world.id("zhao"))
    assert play.keys("duty1", cid) == ["handle_overdue"]
    play.do("duty1", "handle_overdue", cid, overdue_notes="赵律师也未按时解答")
    assert play.inbox("zhao", cid) == []  # a late holder is not given it again


def test_time_running_out_in_the_reassignment_queue_is_charged_to_no_one(play, world):
    cid = play.submit()
    play.later(hours=4, minutes=30)
    disqualify(play, "wang")
    queued(play, "answer_consultation", cid)  # nobody hands it over in the last 30 minutes
    play.later(minutes=31)
    [breach] = play.rows(SlaBreach, cid)
    assert (breach.stage, breach.user_id) == ("answer", None)  # he held nothing by then
    with play.Session() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.business_key == str(cid),
                                                    AuditEvent.action == "sla_breach"))
    assert event.data["released_from"] == world.id("wang")  # whose work it had been
    assert play.keys("duty1", cid) == ["handle_overdue"]  # the duty officer still acts
    play.do("duty1", "handle_overdue", cid, overdue_notes="王律师已被取消资格")
    with play.Session() as s:  # picked anew, and never him
        assert s.get(Consultation, cid).lawyer_id not in (None, world.id("wang"))


def test_reinstated_before_time_runs_out_while_his_work_waits_in_the_queue(play, world):
    cid = play.submit()
    play.later(hours=4)
    disqualify(play, "wang")
    play.later(minutes=20)
    with play.Session() as s:  # back in standing, but the answer was not given back to him
        supervision.reinstate(s, world["supervisor"], world.id("wang"), "申诉成立")
        assert s.get(User, world.id("wang")).status == "active"
    queued(play, "answer_consultation", cid)
    play.later(minutes=41)
    [breach] = play.rows(SlaBreach, cid)
    assert (breach.stage, breach.user_id) == ("answer", None)  # it was in the queue, not his
    with play.Session() as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.business_key == str(cid),
                                                    AuditEvent.action == "sla_breach"))
    assert event.data["released_from"] == world.id("wang")
    assert play.keys("duty1", cid) == ["handle_overdue"]


def test_reassigned_answer_within_the_fresh_5h_is_on_time(play, world):
    cid = play.submit()
    play.later(hours=4, minutes=30)
    disqualify(play, "wang")
    reassign_to(play, queued(play, "answer_consultation", cid).id, "zhao", cid)
    play.later(hours=4, minutes=59)
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text="请申请仲裁。")
    assert play.rows(SlaBreach, cid) == []
    assert [a.author_id for a in play.rows(Answer, cid)] == [world.id("zhao")]


def test_an_approval_handed_over_restarts_the_clock_for_the_new_lawyer(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    play.do("chen", "draft_answer", cid, draft_text="可以申请劳动仲裁。")
    play.later(hours=4, minutes=30)
    disqualify(play, "wang")
    reassign_to(play, queued(play, "review_draft", cid).id, "li", cid)
    review = play.task("li", "review_draft", cid)
    assert review.due_at == utcnow() + timedelta(hours=5)
    play.later(hours=5, minutes=1)
    [breach] = play.rows(SlaBreach, cid)
    assert breach.user_id == world.id("li")
    assert "reminder" in kinds(play, "li", cid)


def test_a_disabled_experts_review_moves_with_its_24h_deadline(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="expert_review",
            answer_text="初步意见：可以申请劳动仲裁。")
    play.do("duty1", "assign_expert", cid, expert_id=world.id("expert1"))
    play.later(hours=20)
    with play.Session() as s:  # the expert leaves the platform: the review leaves them too
        standing.disable(s, world["admin"], world.id("expert1"), "不再担任专家组成员")
    review = queued(play, "expert_review", cid)
    assert picker(play, review.id) == [world.id("expert2")]
    reassign_to(play, review.id, "expert2", cid)
    assert play.task("expert2", "expert_review", cid).due_at == utcnow() + timedelta(hours=24)
    play.later(hours=5)  # past the first expert's 24 h: nothing is charged
    assert play.rows(SlaBreach, cid) == []
    play.later(hours=19, minutes=1)
    [breach] = play.rows(SlaBreach, cid)
    assert (breach.stage, breach.user_id) == ("expert_review", world.id("expert2"))
