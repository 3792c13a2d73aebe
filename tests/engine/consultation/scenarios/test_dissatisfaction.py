"""Scenario 9: every dissatisfied rating → callback → another lawyer who has not answered it, or
the expert group, or a written explanation when no eligible lawyer is left."""
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
    play.do("duty1", "callback_citizen", cid, callback_notes="已电话回访，咨询人希望了解具体步骤",
            callback_action="reanswer")

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
                callback_action="reanswer", next_lawyer_id=world.id("wang"))
    assert list(err.value.fields) == ["next_lawyer_id"]
    play.do("duty1", "callback_citizen", cid, callback_notes="回访",
            callback_action="reanswer", next_lawyer_id=world.id("li"))
    assert play.keys("li", cid) == ["answer_consultation"]


def test_the_duty_officer_may_bring_in_the_expert_group_at_any_round(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST)
    dissatisfied(play, cid)
    play.do("duty1", "callback_citizen", cid, callback_notes="第一次回访",
            callback_action="reanswer")
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text=SECOND)
    dissatisfied(play, cid, "还是不满意")
    play.do("duty1", "callback_citizen", cid, callback_notes="第二次回访，提请专家组",
            callback_action="expert")
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
    play.do("duty1", "callback_citizen", cid, callback_notes="已回访", callback_action="reanswer")
    play.do("zhao", "answer_consultation", cid, decision="answer", answer_text=SECOND,
            sensitive=True)
    # The second answer is published, but the duty officers already handle this case.
    assert play.keys("duty1", cid) == [] and play.keys("citizen1", cid) == ["rate_answer"]
    assert [n.kind for n in play.notices("duty2", cid)].count("sensitive_case") == 1


def _next_holder(play, cid):
    holders = [who for who in ("wang", "li", "zhao", "sun") if play.inbox(who, cid)]
    assert len(holders) <= 1, holders
    return holders[0] if holders else None


def test_every_dissatisfied_round_goes_to_a_lawyer_who_has_not_answered(play, world):
    """No round limit of two: each dissatisfied rating gets another lawyer while one is left;
    then the duty officer may only ask the expert group or close with a written explanation."""
    cid = play.submit()
    answered = []
    holder = "wang"
    while holder is not None:
        assert holder not in answered
        play.do(holder, "answer_consultation", cid, decision="answer",
                answer_text=f"第{len(answered) + 1}位律师的解答意见。")
        answered.append(holder)
        dissatisfied(play, cid)
        assert play.keys("duty1", cid) == ["callback_citizen"]  # a callback at every round
        try:
            play.do("duty1", "callback_citizen", cid, callback_notes="回访",
                    callback_action="reanswer")
        except InvalidInput as err:
            assert list(err.fields) == ["callback_action"]
            break
        holder = _next_holder(play, cid)
    assert len(answered) >= 2 and len(set(answered)) == len(answered)
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "callback_citizen", cid, callback_notes="回访", callback_action="close")
    assert list(err.value.fields) == ["close_explanation"]
    explanation = "已安排所有可以解答的律师，建议您向法律援助中心申请援助。"
    play.do("duty1", "callback_citizen", cid, callback_notes="回访", callback_action="close",
            close_explanation=explanation)
    view = play.view("citizen1", cid)
    assert view.status == "closed"
    assert explanation in [n.body for n in play.notices("citizen1", cid, "closed")][0]


def test_an_expert_endorsement_is_the_groups_own_entry_never_the_answer_again(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=FIRST)
    dissatisfied(play, cid)
    play.do("duty1", "callback_citizen", cid, callback_notes="回访", callback_action="expert")
    play.do("duty2", "assign_expert", cid, expert_id=world.id("expert1"))
    play.do("expert1", "expert_review", cid, expert_decision="approve")
    answers = play.view("citizen1", cid).answers
    assert [a.kind for a in answers] == ["answer", "expert_endorsement"]
    assert [a.text for a in answers].count(FIRST) == 1
    assert play.keys("citizen1", cid) == ["rate_answer"]

