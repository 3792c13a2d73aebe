"""Runs the diagrams on bare SpiffWorkflow with fake helpers to catch modelling errors
(dead ends, bad conditions, wrong variable names). The real scenarios run on the engine."""


import pytest
from bare_run import FakeHelpers, complete, later, rate, ready
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment
from SpiffWorkflow.util.task import TaskState

from tests.factories import QUESTION

START = dict(QUESTION, consultation_id=1, citizen_id=7)
ANSWER = dict(decision="answer", answer_text="可以申请劳动仲裁。", refuse_reason=None,
              delegate_to=None, sensitive=False, attention=False, keep_flagged=False)


@pytest.fixture
def run(parser, specs):
    def start(**data):
        fakes = FakeHelpers()
        engine = PythonScriptEngine(environment=TaskDataEnvironment(fakes.env()))
        subs = {k: v for k, v in specs.items() if k != "consultation"}
        wf = BpmnWorkflow(specs["consultation"], subs, script_engine=engine)
        wf.get_tasks(state=TaskState.READY)[0].data.update({**START, **data})
        wf.do_engine_steps()
        return wf, fakes
    return start


def test_answer_then_satisfied_closes(run):
    wf, fakes = run()
    assert ready(wf) == ["answer_consultation"]
    assert fakes.named("assign_lawyer") == [(1, 101)]
    complete(wf, "answer_consultation", **ANSWER)
    assert fakes.named("publish_answer") == [
        (1, "answer", "可以申请劳动仲裁。", 101, None, None, False)]
    assert ready(wf) == ["rate_answer"]
    rate(wf)
    assert fakes.named("close_consultation") == [(1, "satisfied")]
    assert wf.is_completed()


@pytest.mark.parametrize("case_status, hint", [
    ("in_litigation", "人民法院"), ("being_handled", "正在办理"), ("concluded", "申诉")])
def test_screening_rejects_with_guidance(run, case_status, hint):
    wf, fakes = run(case_status=case_status)
    [(cid, reason)] = fakes.named("reject_consultation")
    assert hint in reason
    assert wf.is_completed() and not fakes.named("find_lawyer")


def test_petition_is_accepted(run):
    wf, fakes = run(case_status="petition")
    [task] = wf.get_tasks(state=TaskState.READY, manual=True)
    assert task.task_spec.name == "answer_consultation"
    assert task.data["screening"] == "accept" and not fakes.named("reject_consultation")


def test_answer_needs_text(run):
    wf, _ = run()
    with pytest.raises(Exception, match="answer_text"):
        complete(wf, "answer_consultation", **{**ANSWER, "answer_text": ""})


def test_delegate_revise_approve_publishes_under_the_lawyer(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **{**ANSWER, "decision": "delegate", "answer_text": "",
                                           "delegate_to": 201})
    assert fakes.named("check_delegate") == [(101, 201)]
    complete(wf, "draft_answer", draft_text="初稿")
    complete(wf, "review_draft", draft_decision="revise", review_comment="补充仲裁时效")
    assert ready(wf) == ["draft_answer"]
    complete(wf, "draft_answer", draft_text="二稿")
    complete(wf, "review_draft", draft_decision="approve", review_comment="")
    assert fakes.named("publish_answer") == [(1, "answer", "二稿", 101, 201, 101, False)]
    assert ready(wf) == ["rate_answer"]


def test_a_refusal_confirmed_by_a_duty_officer_publishes_guidance_and_closes(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **{**ANSWER, "decision": "refuse",
                                           "refuse_reason": "案件正在诉讼中，请向法院咨询"})
    assert ready(wf) == ["review_refusal"] and fakes.named("publish_answer") == []
    complete(wf, "review_refusal", refusal_decision="confirm", refusal_review_notes="",
             next_lawyer_id=None)
    assert fakes.named("publish_answer")[0][:2] == (1, "refusal")
    assert fakes.named("close_consultation") == [(1, "refused")]
    assert wf.is_completed()


def test_an_overruled_refusal_stays_on_record_and_another_lawyer_answers(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **{**ANSWER, "decision": "refuse",
                                           "refuse_reason": "不属于解答范围"})
    complete(wf, "review_refusal", refusal_decision="overrule", refusal_review_notes="应当解答",
             next_lawyer_id=None)
    assert fakes.named("publish_answer")[0][:2] == (1, "overruled_refusal")
    assert fakes.named("find_lawyer")[-1] == (1, "labor", [101])
    assert ready(wf) == ["answer_consultation"]


def test_every_dissatisfied_round_gets_a_callback_and_the_duty_officer_chooses(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **ANSWER)
    for round_, lawyers in ((1, [101]), (2, [101, 102]), (3, [101, 102, 103])):
        rate(wf, satisfied=False)
        complete(wf, "callback_citizen", callback_notes=f"第{round_}次回访",
                 callback_action="reanswer", next_lawyer_id=None, close_explanation="")
        assert fakes.named("find_lawyer")[-1] == (1, "labor", lawyers)
        assert ready(wf) == ["answer_consultation"]
        complete(wf, "answer_consultation", **ANSWER)
    rate(wf, satisfied=False)
    complete(wf, "callback_citizen", callback_notes="请专家组", callback_action="expert",
             next_lawyer_id=None, close_explanation="")
    assert ready(wf) == ["assign_expert"]
    complete(wf, "assign_expert", expert_id=301)
    complete(wf, "expert_review", expert_decision="approve", expert_comment="",
             expert_answer_text="")
    assert fakes.named("endorse_answer") == [(1, 301)]
    assert [p[1] for p in fakes.named("publish_answer")] == ["answer"] * 4  # never re-sent
    rate(wf, satisfied=False)
    complete(wf, "callback_citizen", callback_notes="无人可派", callback_action="close",
             next_lawyer_id=None, close_explanation="已请专家组审阅，建议通过诉讼途径解决。")
    assert fakes.named("close_consultation") == [(1, "已请专家组审阅，建议通过诉讼途径解决。")]
    assert wf.is_completed()


def test_the_lawyer_answers_first_then_the_expert_group_reviews(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **{**ANSWER, "decision": "expert_review"})
    assert [p[1] for p in fakes.named("publish_answer")] == ["answer"]  # published at once
    assert ready(wf) == ["assign_expert"]
    complete(wf, "assign_expert", expert_id=301)
    complete(wf, "expert_review", expert_decision="revise", expert_comment="补充依据",
             expert_answer_text="")
    assert fakes.named("notify")[-1] == (101, "expert_revise", 1)
    assert ready(wf) == ["answer_consultation"]
    complete(wf, "answer_consultation", **ANSWER)
    assert [p[1] for p in fakes.named("publish_answer")] == ["answer", "answer"]
    assert ready(wf) == ["rate_answer"]
    assert fakes.named("assign_lawyer") == [(1, 101)]


def test_an_expert_who_never_answers_is_replaced_once_then_escalated(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **{**ANSWER, "decision": "expert_review"})
    complete(wf, "assign_expert", expert_id=301)
    later(wf, hours=24, minutes=1)
    assert ready(wf) == ["assign_expert"]
    complete(wf, "assign_expert", expert_id=302)
    later(wf, hours=24, minutes=1)
    assert [b[1] for b in fakes.named("record_breach")] == ["expert_review", "expert_review"]
    assert ("supervisor", "escalation", 1) in fakes.named("notify_role")
    assert ready(wf) == ["rate_answer"]  # the lawyer's published answer stands


def test_reminder_at_four_hours_and_reassignment_at_five(run):
    wf, fakes = run()
    later(wf, hours=4, minutes=1)
    assert fakes.named("notify") == [(101, "reminder", 1)]
    assert ready(wf) == ["answer_consultation"]
    later(wf, hours=5, minutes=1)
    assert fakes.named("record_breach") == [(1, "answer", 101)]
    assert ready(wf) == ["handle_overdue"]
    complete(wf, "handle_overdue", next_lawyer_id=103, overdue_notes="改派")
    assert fakes.named("assign_lawyer")[-1] == (1, 103)
    assert ready(wf) == ["answer_consultation"]


def test_sensitive_case_runs_beside_feedback(run):
    wf, _ = run()
    complete(wf, "answer_consultation", **{**ANSWER, "sensitive": True, "attention": True})
    assert ready(wf) == ["handle_attention", "handle_sensitive", "rate_answer"]
    rate(wf)
    complete(wf, "handle_sensitive", handling_notes="已报告")
    assert not wf.is_completed()
    complete(wf, "handle_attention", handling_notes="已关注")
    assert wf.is_completed()


def test_no_feedback_for_seven_days_closes(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **ANSWER)
    later(wf, days=7, minutes=1)
    assert fakes.named("close_consultation") == [(1, "no_feedback")]
    assert wf.is_completed()


def test_referral_declined_then_agreed(run):
    wf, fakes = run()
    complete(wf, "answer_consultation", **ANSWER)
    rate(wf, wants_referral=True)
    complete(wf, "arrange_referral", arrange_notes="")
    complete(wf, "accept_referral", referral_decision="decline", decline_reason="利益冲突",
             handler_id=None)
    complete(wf, "reassign_referral", next_institution_id=None, reassign_notes="")
    complete(wf, "accept_referral", referral_decision="accept", decline_reason="",
             handler_id=111)
    complete(wf, "record_agreement", agreement_no="WT-1", signed_on="2025-01-02", handler_id=111)
    statuses = [(r[1], r[2]) for r in fakes.named("record_referral")]
    assert statuses == [("offered", 500), ("declined", 500), ("offered", 501),
                        ("accepted", 501), ("agreed", 501)]
    assert fakes.named("close_consultation") == [(1, "satisfied")]
    assert wf.is_completed()


def test_answer_rounds_are_bounded(run):
    wf, fakes = run()
    for round_no in range(10):
        later(wf, hours=5, minutes=1)
        complete(wf, "handle_overdue", next_lawyer_id=900 + round_no, overdue_notes="")
    assert fakes.named("close_consultation") == [(1, "round_limit")]
    assert wf.is_completed()
