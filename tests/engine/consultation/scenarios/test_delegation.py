"""Scenarios 4 and 5: a colleague drafts under the lawyer's approval; only the same institution."""
import pytest

from engine.errors import InvalidInput
from engine.models import Answer
from engine.workflow import tasks


def test_colleague_drafts_lawyer_revises_once_then_approves(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    assert play.keys("chen", cid) == ["draft_answer"] and play.inbox("wang", cid) == []
    play.do("chen", "draft_answer", cid, draft_text="初稿：可以申请仲裁。")

    with pytest.raises(InvalidInput) as err:  # a revision needs a comment
        play.do("wang", "review_draft", cid, draft_decision="revise")
    assert list(err.value.fields) == ["review_comment"]
    play.do("wang", "review_draft", cid, draft_decision="revise",
            review_comment="请补充仲裁时效和所需证据。")

    redo = play.task("chen", "draft_answer", cid)
    with play.Session() as s:
        shown = tasks.get_task(s, redo.id, world["chen"]).data
    assert shown["review_comment"] == "请补充仲裁时效和所需证据。"
    final = "可以申请劳动仲裁，仲裁时效为一年，请准备劳动合同和工资流水。"
    play.do("chen", "draft_answer", cid, draft_text=final)
    play.do("wang", "review_draft", cid, draft_decision="approve")

    [answer] = play.rows(Answer, cid)
    assert (answer.text, answer.kind) == (final, "answer")
    assert (answer.author_id, answer.drafter_id, answer.approver_id) == (
        world.id("wang"), world.id("chen"), world.id("wang"))
    citizen = play.view("citizen1", cid).answers[0]
    assert (citizen.text, citizen.author_name, citizen.drafter_name) == (final, "王律师", None)
    record = play.view("duty1", cid).answers[0]
    assert (record.author_name, record.drafter_name, record.approver_name) == (
        "王律师", "陈助理", "王律师")
    # The colleague sees the consultation they drafted for, but not the citizen's phone.
    assert play.view("chen", cid).contact_phone is None
    assert play.keys("citizen1", cid) == ["rate_answer"]


@pytest.mark.parametrize("colleague", ["liu", "zhao", "wu"])
def test_delegation_outside_the_institution_is_refused(play, world, colleague):
    cid = play.submit()
    before = play.instance(cid).revision
    with pytest.raises(InvalidInput) as err:
        play.do("wang", "answer_consultation", cid, decision="delegate",
                delegate_to=world.id(colleague))
    assert err.value.fields == {"delegate_to": ["只能委托本机构的同事"]}
    assert play.keys("wang", cid) == ["answer_consultation"]
    assert play.inbox(colleague) == []
    assert play.instance(cid).revision == before  # rolled back: nothing was saved
