"""Scenario 9: dissatisfied → callback → another lawyer; the second time, the expert group."""
import pytest

from engine.errors import InvalidInput
from engine.models import Answer, Feedback, SlaBreach

FIRST = "可以申请劳动仲裁。"
SECOND = "建议先向劳动监察大队投诉，再申请劳动仲裁，仲裁时效为一年。"


def dissatisfied(play, cid, comment="没有说清楚怎么做"):
    play.do("citizen1", "rate_answer", cid, satisfied=False, feedback_comment=comment)


def test_dissatisfied_callback_another_lawyer_then_satisfied(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST)
    dissatisfied(play, cid)
    assert play.view("citizen1", cid).status == "callback"
    assert [n.kind for n in play.notices("duty1", cid)] == ["callback_needed"]
    assert play.keys("duty1", cid) == ["callback_citizen"]

    play.later(hours=2, minutes=1)  # the 2-hour callback deadline passes: recorded, not lost
    assert [b.stage for b in play.rows(SlaBreach, cid)] == ["callback"]
    assert "escalation" in [n.kind for n in play.notices("duty2", cid)]
    play.do("duty1", "callback_citizen", cid, callback_notes="已电话回访，咨询人希望了解具体步骤")

    assert play.inbox("wang", cid) == []  # never the lawyer who already answered
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text=SECOND)
    assert [a.text for a in play.view("citizen1", cid).answers] == [FIRST, SECOND]
    play.do("citizen1", "rate_answer", cid, satisfied=True)

    answers = play.rows(Answer, cid)
    assert [(a.author_id, a.round) for a in answers] == [(world.id("wang"), 1),
                                                         (world.id("zhao"), 2)]
    feedback = play.rows(Feedback, cid)
    assert [(f.satisfied, f.round, f.answer_id) for f in feedback] == [
        (False, 1, answers[0].id), (True, 2, answers[1].id)]
    assert play.view("citizen1", cid).status == "closed"
    assert play.instance(cid).status == "completed"


def test_the_duty_officer_may_name_the_next_lawyer_but_not_the_same_one(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST)
    dissatisfied(play, cid)
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "callback_citizen", cid, callback_notes="回访",
                next_lawyer_id=world.id("wang"))
    assert list(err.value.fields) == ["next_lawyer_id"]
    play.do("duty1", "callback_citizen", cid, callback_notes="回访",
            next_lawyer_id=world.id("li"))
    assert play.keys("li", cid) == ["answer_consultation"]


def test_two_dissatisfied_rounds_go_to_the_expert_group(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST)
    dissatisfied(play, cid)
    play.do("duty1", "callback_citizen", cid, callback_notes="第一次回访")
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text=SECOND)
    dissatisfied(play, cid, "还是不满意")
    play.do("duty1", "callback_citizen", cid, callback_notes="第二次回访，提请专家组")

    # No third lawyer: the expert group reviews.
    assert all(play.inbox(who, cid) == [] for who in ("wang", "li", "zhao", "sun"))
    assert play.view("citizen1", cid).status == "expert_review"
    play.do("duty2", "assign_expert", cid, expert_id=world.id("expert1"))
    expert = "专家意见：请携带劳动合同、工资条向劳动争议仲裁委员会申请仲裁。"
    play.do("expert1", "expert_review", cid, expert_decision="replace",
            expert_answer_text=expert)
    assert [(a.kind, a.author_id) for a in play.rows(Answer, cid)][-1] == (
        "expert", world.id("expert1"))
    play.do("citizen1", "rate_answer", cid, satisfied=True)
    assert play.view("citizen1", cid).status == "closed"
    assert [f.satisfied for f in play.rows(Feedback, cid)] == [False, False, True]


def test_a_sensitive_case_is_reported_once_across_answers(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST,
            sensitive=True)
    play.do("duty1", "handle_sensitive", cid, handling_notes="已按敏感案事件登记")
    dissatisfied(play, cid)
    play.do("duty1", "callback_citizen", cid, callback_notes="已回访")
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text=SECOND,
            sensitive=True)
    # The second answer is published, but the duty officers already handle this case.
    assert play.keys("duty1", cid) == [] and play.keys("citizen1", cid) == ["rate_answer"]
    assert [n.kind for n in play.notices("duty2", cid)].count("sensitive_case") == 1
