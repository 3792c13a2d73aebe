"""Paths the invariant walker found where a rule broke, each kept as a scenario.

Touting reached the citizen through a refusal's guidance and through the expert group's own
answer (the scan ran only on answers and drafts); a refusal written by a lawyer disqualified
while it waited for the duty officer's review was published under his name.
"""
import pytest

from engine.errors import InvalidInput
from engine.models import Answer
from engine.oversight import supervision

TOUTING = "此案不属于解答范围，可以来我所面谈，加我微信 lawyerwang88。"
GUIDANCE = "此案已判决生效，可向原审法院申请再审，或拨打12368诉讼服务热线咨询。"


def test_touting_in_a_refusal_is_refused_on_submit(play, world):
    cid = play.submit()
    with pytest.raises(InvalidInput) as err:
        play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=TOUTING,
                keep_flagged=True)
    assert list(err.value.fields) == ["refuse_reason"]
    assert play.rows(Answer, cid) == [] and play.keys("wang", cid) == ["answer_consultation"]
    play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=GUIDANCE)
    play.do("duty1", "review_refusal", cid, refusal_decision="confirm")
    assert [a.text for a in play.view("citizen1", cid).answers] == [GUIDANCE]


def test_touting_in_the_expert_groups_answer_is_refused_on_submit(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="expert_review",
            answer_text="可以申请劳动仲裁。")
    play.do("duty1", "assign_expert", cid, expert_id=world.id("expert1"))
    with pytest.raises(InvalidInput) as err:
        play.do("expert1", "expert_review", cid, expert_decision="replace",
                expert_answer_text=TOUTING)
    assert list(err.value.fields) == ["expert_answer_text"]
    assert [a.kind for a in play.view("citizen1", cid).answers] == ["answer"]
    assert play.keys("expert1", cid) == ["expert_review"]


def test_a_refusal_by_a_lawyer_disqualified_meanwhile_is_never_published(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=GUIDANCE)
    with play.Session() as s:
        supervision.disqualify(s, world["supervisor"], world.id("wang"), "违规招揽线下业务")
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "review_refusal", cid, refusal_decision="confirm")
    assert list(err.value.fields) == ["refusal_decision"]
    assert play.view("citizen1", cid).answers == []
    play.do("duty1", "review_refusal", cid, refusal_decision="overrule")
    assert play.view("citizen1", cid).lawyer_id not in (None, world.id("wang"))


def test_a_revision_the_expert_group_asks_for_after_dissatisfaction_is_not_the_same_lawyers(
        play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text="可以申请劳动仲裁。")
    play.do("citizen1", "rate_answer", cid, satisfied=False, feedback_comment="太笼统")
    play.do("duty1", "callback_citizen", cid, callback_notes="回访", callback_action="expert")
    play.do("duty1", "assign_expert", cid, expert_id=world.id("expert1"))
    play.do("expert1", "expert_review", cid, expert_decision="revise",
            expert_comment="请补充仲裁时效")
    assert play.keys("wang", cid) == []  # the rules: 安排其他驻场人员再次解答
    assert play.keys("zhao", cid) == ["answer_consultation"]  # with the group's suggestions
