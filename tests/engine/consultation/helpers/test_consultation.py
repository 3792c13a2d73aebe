"""Consultation helpers: status, answers, feedback, breaches, closing, notices."""
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import time_machine
from sqlalchemy import select

from engine.errors import InvalidInput
from engine.models import Answer, AuditEvent, Consultation, Feedback, SlaBreach
from engine.uow import transaction
from engine.workflow.script_helpers import ScriptContext, bind
from tests.factories import notes


def test_publish_answer_with_attribution(session, run, world, case):
    wang, chen = world.id("wang"), world.id("chen")
    answer_id = run("publish_answer", case.id, "answer", "可以向劳动争议仲裁委员会申请仲裁。",
                    wang, chen, wang, actor="wang")
    answer = session.get(Answer, answer_id)
    assert (answer.kind, answer.author_id, answer.drafter_id, answer.approver_id) == (
        "answer", wang, chen, wang)
    assert answer.flagged is False
    session.refresh(case)
    assert case.status == "answered" and case.answered_at == answer.published_at
    [note] = notes(session, world.id("citizen1"))
    assert note.kind == "answer_published"
    action = session.scalar(select(AuditEvent.action).where(
        AuditEvent.business_key == str(case.id)))
    assert action == "answer_published"


def test_publish_answer_flags_solicitation(session, run, world, case):
    answer_id = run("publish_answer", case.id, "answer", "详情请加我微信 wang_lawyer88 私聊",
                    world.id("wang"), None, world.id("wang"))
    assert session.get(Answer, answer_id).flagged is True
    flagged = session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_flagged"))
    assert "微信号" in flagged.data["reasons"]


def test_refusal_sets_refused_and_keeps_first_answer_time(session, run, world, case):
    run("publish_answer", case.id, "refusal", "该案件正在诉讼中，请向受理法院咨询。",
        world.id("wang"), None, world.id("wang"))
    session.refresh(case)
    first = case.answered_at
    assert case.status == "refused"
    run("publish_answer", case.id, "expert", "专家意见", world.id("expert1"), None, None)
    session.refresh(case)
    assert case.status == "answered" and case.answered_at == first


def test_first_answer_stores_its_duration_from_the_notification(session, run, world, case):
    case.notified_at = datetime(2026, 3, 2, 9, 0, 0, 900_000, tzinfo=UTC)
    session.commit()
    with time_machine.travel(datetime(2026, 3, 2, 11, 30, 5, tzinfo=UTC), tick=False):
        run("publish_answer", case.id, "answer", "可以申请仲裁。", world.id("wang"), None, None)
    with time_machine.travel(datetime(2026, 3, 3, 9, 0, tzinfo=UTC), tick=False):
        run("publish_answer", case.id, "answer", "补充答复", world.id("zhao"), None, None)
    session.refresh(case)
    assert case.seconds_to_answer == 2 * 3600 + 30 * 60 + 5  # whole seconds, first answer


def test_answer_without_notification_has_no_duration(session, run, world, case):
    run("publish_answer", case.id, "answer", "可以申请仲裁。", world.id("wang"), None, None)
    session.refresh(case)
    assert case.answered_at is not None and case.seconds_to_answer is None


def test_publish_answer_rejects_unknown_kind_and_empty_text(run, world, case):
    with pytest.raises(InvalidInput):
        run("publish_answer", case.id, "draft", "x", world.id("wang"), None, None)
    with pytest.raises(InvalidInput):
        run("publish_answer", case.id, "answer", "  ", world.id("wang"), None, None)


def test_notify_role_reaches_every_active_member(session, run, world, case, deployed):
    assert run("notify_role", "duty_officer", "callback_needed", case.id) == 2
    for name in ("duty1", "duty2"):
        [note] = notes(session, world.id(name))
        # the call-back deadline as processes/consultation.bpmn sets it
        assert note.kind == "callback_needed" and "请在 2 小时内回访" in note.body
    run("notify", world.id("expert1"), "sensitive_case", case.id)
    assert notes(session, world.id("expert1"))[0].subject.startswith("敏感案事件")


def test_reject_consultation_tells_the_citizen_why(session, run, world, case):
    reason = "您咨询的案件正处于诉讼程序中，请向受理案件的人民法院咨询。"
    run("reject_consultation", case.id, reason)
    session.refresh(case)
    assert (case.status, case.screening_reason) == ("rejected", reason)
    assert case.closed_at is not None
    [note] = notes(session, world.id("citizen1"))
    assert note.kind == "rejected" and note.body == reason


def test_feedback_breach_and_close(session, run, world, case, deployed):
    answer_id = run("publish_answer", case.id, "answer", "答复", world.id("wang"), None, None)
    run("record_feedback", case.id, False, "没有回答我的问题", False, actor="citizen1")
    run("record_breach", case.id, "callback", world.id("duty1"))
    run("close_consultation", case.id, "no_feedback")
    session.refresh(case)
    [feedback] = session.scalars(select(Feedback)).all()
    assert (feedback.satisfied, feedback.answer_id, feedback.round) == (False, answer_id, 1)
    assert case.round == 2 and case.status == "closed" and case.closed_at is not None
    [breach] = session.scalars(select(SlaBreach)).all()
    assert (breach.stage, breach.user_id) == ("callback", world.id("duty1"))
    closed = notes(session, world.id("citizen1"))[-1]
    assert closed.kind == "closed" and "您在 7 日内未作评价" in closed.body  # the diagram's P7D


def test_set_status(session, run, case):
    run("set_status", case.id, "expert_review")
    assert session.get(Consultation, case.id).status == "expert_review"
    with pytest.raises(InvalidInput):
        run("set_status", case.id, "lost")


def test_closing_a_refused_consultation_keeps_refused(session, run, world, case):
    run("publish_answer", case.id, "refusal", "请向法院咨询。", world.id("wang"), None, None)
    run("close_consultation", case.id, "refused")
    session.refresh(case)
    assert case.status == "refused" and case.closed_at is not None


def test_require(run):
    run("require", True, "answer_text", "请填写解答意见")
    with pytest.raises(InvalidInput) as err:
        run("require", False, "answer_text", "请填写解答意见")
    assert err.value.fields == {"answer_text": ["请填写解答意见"]}


def test_the_same_notice_is_sent_once_per_use_case(session, world, case):
    ctx = ScriptContext(session, SimpleNamespace(id=None, version_id=None), world["wang"])
    helpers = bind(ctx)
    with transaction(session):
        helpers["publish_answer"](case.id, "answer", "答复", world.id("wang"), None, None)
        helpers["notify"](world.id("citizen1"), "answer_published", case.id)
    assert len(notes(session, world.id("citizen1"))) == 1
