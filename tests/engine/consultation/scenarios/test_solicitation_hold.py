"""Touting never reaches the citizen unreleased: the scan runs when the lawyer (or a colleague
drafting) submits; kept text waits for a supervisor's release."""
import pytest

from engine.errors import InvalidInput
from engine.models import Answer

TOUTING = "这种情况可以申请劳动仲裁，详细情况加我微信 lawyerwang88 再聊。"
COURT = "可以拨打朝阳区人民法院诉讼服务电话 010-65612345 查询立案进度。"


def test_touting_is_refused_on_submit_with_the_findings(play, world):
    cid = play.submit()
    with pytest.raises(InvalidInput) as err:
        play.do("wang", "answer_consultation", cid, decision="answer", answer_text=TOUTING)
    assert list(err.value.fields) == ["answer_text"]
    assert "微信号" in err.value.fields["answer_text"][0]
    assert play.rows(Answer, cid) == [] and play.keys("wang", cid) == ["answer_consultation"]


def test_kept_text_waits_for_a_supervisor_and_then_reaches_the_citizen(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=COURT,
            keep_flagged=True)
    assert play.view("citizen1", cid).answers == []
    assert play.keys("citizen1", cid) == []
    assert play.keys("supervisor", cid) == ["release_answer"]
    play.do("supervisor", "release_answer", cid, release_decision="release")
    assert [a.text for a in play.view("citizen1", cid).answers] == [COURT]
    assert play.keys("citizen1", cid) == ["rate_answer"]


def test_withheld_text_is_never_shown_and_the_lawyer_rewrites(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=TOUTING,
            keep_flagged=True)
    play.do("supervisor", "release_answer", cid, release_decision="withhold",
            release_notes="不得留个人微信。")
    assert play.view("citizen1", cid).answers == []
    assert "answer_withheld" in [n.kind for n in play.notices("wang", cid)]
    clean = "可以向劳动争议仲裁委员会申请仲裁，时效为一年。"
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=clean)
    assert [a.text for a in play.view("citizen1", cid).answers] == [clean]
    assert [a.text for a in play.view("supervisor", cid).answers] == [TOUTING, clean]


def test_an_unreleased_answer_is_escalated_after_four_hours(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=COURT,
            keep_flagged=True)
    play.later(hours=4, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]


def test_a_colleagues_draft_is_scanned_when_submitted(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    with pytest.raises(InvalidInput) as err:
        play.do("chen", "draft_answer", cid, draft_text="请打我手机 13812345678 详谈。")
    assert list(err.value.fields) == ["draft_text"]
    assert play.keys("chen", cid) == ["draft_answer"]
