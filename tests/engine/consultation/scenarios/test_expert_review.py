"""Scenarios 7 and 8: sensitive / needs-attention reports in parallel; the expert group."""
import pytest

from engine.errors import InvalidInput
from engine.models import Answer, Consultation, SlaBreach
from engine.workflow import tasks
from tests.factories import QUESTION

DRAFT = "初步意见：可以申请劳动仲裁。"


def test_sensitive_and_attention_reports_run_beside_the_citizen(play, world):
    cid = play.submit(vulnerable=True)
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=DRAFT,
            sensitive=True, attention=True)
    # The citizen has the answer at once; the duty officers have both reports.
    assert [a.text for a in play.view("citizen1", cid).answers] == [DRAFT]
    assert play.keys("citizen1", cid) == ["rate_answer"]
    with play.Session() as s:  # the duty officers' board and the reports read the flags
        row = s.get(Consultation, cid)
        assert (row.sensitive, row.attention) == (True, True)
    for duty in ("duty1", "duty2"):
        assert play.keys(duty, cid) == ["handle_attention", "handle_sensitive"]
        kinds = [n.kind for n in play.notices(duty, cid)]
        assert sorted(kinds) == ["attention_case", "sensitive_case"]

    play.do("citizen1", "rate_answer", cid, satisfied=True)
    assert play.view("citizen1", cid).status == "closed"
    assert play.instance(cid).status == "running"  # the reports are still open
    play.do("duty1", "handle_sensitive", cid, handling_notes="已按敏感案事件登记处理")
    play.do("duty2", "handle_attention", cid, handling_notes="已联系社区关注老人安全")
    assert play.instance(cid).status == "completed"


def test_no_reports_without_flags(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=DRAFT)
    assert play.inbox("duty1", cid) == []


def ask_experts(play, world, cid):
    play.do("wang", "answer_consultation", cid, decision="expert_review", answer_text=DRAFT)
    # The rules' order: the lawyer's own answer reaches the citizen at once, then the group.
    assert play.view("citizen1", cid).status == "expert_review"
    assert [a.text for a in play.view("citizen1", cid).answers] == [DRAFT]
    assert play.keys("citizen1", cid) == []  # rated once the group has reviewed it
    with pytest.raises(InvalidInput) as err:  # only a member of the expert group
        play.do("duty1", "assign_expert", cid, expert_id=world.id("zhao"))
    assert list(err.value.fields) == ["expert_id"]
    play.do("duty1", "assign_expert", cid, expert_id=world.id("expert1"))
    task = play.task("expert1", "expert_review", cid)
    with play.Session() as s:
        assert tasks.get_task(s, task.id, world["expert1"]).data["answer_text"] == DRAFT
    seen = play.view("expert1", cid)  # the expert reads the question, not the phone number
    assert (seen.question, seen.contact_phone) == (QUESTION["question"], None)


def test_expert_approves_the_lawyers_answer(play, world, lone_ready_checked):
    cid = play.submit()
    ask_experts(play, world, cid)
    play.do("expert1", "expert_review", cid, expert_decision="approve")
    answer, endorsement = play.rows(Answer, cid)
    assert (answer.kind, answer.text, answer.author_id) == ("answer", DRAFT, world.id("wang"))
    assert (endorsement.kind, endorsement.author_id) == ("expert_endorsement",
                                                         world.id("expert1"))
    assert play.view("citizen1", cid).status == "answered"
    assert play.keys("citizen1", cid) == ["rate_answer"]
    # the answer stage and the called review are subprocesses: their ready tasks were found
    # without walking the tree, and each time the library's iterator agreed
    assert lone_ready_checked["with subprocesses"] > 0


def test_expert_asks_the_lawyer_to_revise(play, world):
    cid = play.submit()
    ask_experts(play, world, cid)
    with pytest.raises(InvalidInput):
        play.do("expert1", "expert_review", cid, expert_decision="revise")
    play.do("expert1", "expert_review", cid, expert_decision="revise",
            expert_comment="请补充仲裁时效的规定。")
    assert [a.text for a in play.rows(Answer, cid)] == [DRAFT]
    assert "expert_revise" in [n.kind for n in play.notices("wang", cid)]  # the lawyer is told
    again = play.task("wang", "answer_consultation", cid)
    with play.Session() as s:
        shown = tasks.get_task(s, again.id, world["wang"]).data
    assert shown["expert_comment"] == "请补充仲裁时效的规定。"
    revised = DRAFT + "仲裁时效为一年。"
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=revised)
    first, answer = play.rows(Answer, cid)
    assert (answer.text, answer.author_id) == (revised, world.id("wang"))
    assert play.keys("citizen1", cid) == ["rate_answer"]


def test_expert_replaces_the_answer(play, world):
    cid = play.submit()
    ask_experts(play, world, cid)
    own = "专家意见：先向用人单位书面催告，再申请劳动仲裁，同时可以向劳动监察投诉。"
    play.do("expert1", "expert_review", cid, expert_decision="replace", expert_answer_text=own)
    first, answer = play.rows(Answer, cid)
    assert (answer.kind, answer.text, answer.author_id) == ("expert", own, world.id("expert1"))
    shown = play.view("citizen1", cid).answers[-1]
    assert (shown.kind, shown.author_name) == ("expert", "资深律师专家")


def test_an_expert_who_lets_24h_pass_is_replaced(play, world):
    cid = play.submit()
    ask_experts(play, world, cid)
    play.later(hours=24, minutes=1)
    assert play.inbox("expert1", cid) == []
    assert [(b.stage, b.user_id) for b in play.rows(SlaBreach, cid)] == [
        ("expert_review", world.id("expert1"))]
    play.do("duty2", "assign_expert", cid, expert_id=world.id("expert2"))
    assert play.keys("expert2", cid) == ["expert_review"]


def test_expert_timeouts_escalate_instead_of_looping(play, world):
    cid = play.submit()
    ask_experts(play, world, cid)
    play.later(hours=24, minutes=1)
    play.do("duty2", "assign_expert", cid, expert_id=world.id("expert2"))
    play.later(hours=24, minutes=1)
    assert [b.stage for b in play.rows(SlaBreach, cid)] == ["expert_review", "expert_review"]
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]
    assert play.keys("duty1", cid) == [] and play.keys("citizen1", cid) == ["rate_answer"]
    assert play.view("citizen1", cid).status == "answered"  # the lawyer's answer stands


def test_choosing_an_expert_has_a_deadline(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="expert_review", answer_text=DRAFT)
    play.later(hours=2, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("duty1", cid)]
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]


def test_flags_reach_the_duty_officers_when_the_lawyer_submits_whatever_the_decision(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"), sensitive=True)
    # The draft is not even written yet: the report is already there.
    assert [n.kind for n in play.notices("duty1", cid)] == ["sensitive_case"]
    assert play.keys("duty1", cid) == []  # the handling task follows when the stage ends


def test_flags_on_a_refusal_are_not_lost(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="refuse",
            refuse_reason="案件已由法院受理，请向法院了解情况。", attention=True)
    assert "attention_case" in [n.kind for n in play.notices("duty1", cid)]
    assert sorted(play.keys("duty1", cid)) == ["handle_attention", "review_refusal"]


def test_an_unhandled_sensitive_report_is_escalated_to_supervisors(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=DRAFT,
            sensitive=True)
    play.later(hours=4, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]
    assert "handle_sensitive" in play.keys("duty1", cid)  # still there, now escalated
