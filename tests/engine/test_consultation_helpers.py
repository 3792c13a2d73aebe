"""The domain helpers diagrams call, exercised directly with a script context."""
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from engine.errors import InvalidInput, NoInstitutionAvailable, NoLawyerAvailable
from engine.helpers import ScriptContext, bind
from engine.models import (
    Answer,
    AuditEvent,
    Consultation,
    Feedback,
    HumanTask,
    Institution,
    Notification,
    ProcessInstance,
    ProcessVersion,
    Referral,
    SlaBreach,
    User,
)
from engine.uow import transaction
from tests.engine.world import add_consultation, seed


@pytest.fixture
def world(session):
    return seed(session)


@pytest.fixture
def case(session, world):
    return add_consultation(session, world, category="labor")


@pytest.fixture
def run(session, world):
    """Call helpers as a diagram script would, in one committed transaction."""
    def call(name, *args, actor="duty1"):
        ctx = ScriptContext(session, SimpleNamespace(id=None), world[actor])
        with transaction(session):
            return bind(ctx)[name](*args)
    return call


def notes(session, user_id):
    return session.scalars(select(Notification).where(Notification.user_id == user_id)
                           .order_by(Notification.id)).all()


def give_open_tasks(session, user_id, count):
    version = ProcessVersion(key="x", number=1, files={}, checksum="x")
    session.add(version)
    session.flush()
    instance = ProcessInstance(version_id=version.id, process_key="x", state=b"")
    session.add(instance)
    session.flush()
    for n in range(count):
        session.add(HumanTask(id=f"t{user_id}-{n}", instance_id=instance.id, bpmn_id="t",
                              role="lawyer", assignee_id=user_id, state="ready"))
    session.commit()


def test_pick_lawyer_prefers_category_then_id(run, world, case):
    assert run("pick_lawyer", case.id, "labor", []) == world.id("wang")
    assert run("pick_lawyer", case.id, "property", None) == world.id("sun")


def test_pick_lawyer_prefers_least_open_work(session, run, world, case):
    give_open_tasks(session, world.id("wang"), 2)
    assert run("pick_lawyer", case.id, "labor", []) == world.id("zhao")


def test_pick_lawyer_never_picks_disqualified_or_inactive_institution(session, run, world):
    # Only the disqualified lawyer and one of a withdrawn institution know criminal law:
    # the pick falls back to any active lawyer rather than to them.
    case = add_consultation(session, world, category="criminal")
    picked = run("pick_lawyer", case.id, "criminal", [])
    assert picked == world.id("wang")
    assert picked not in (world.id("qian"), world.id("zhou"))


def test_pick_lawyer_excludes_given_and_previous_answerers(session, run, world, case):
    assert run("pick_lawyer", case.id, "labor", [world.id("wang")]) == world.id("zhao")
    assert run("pick_lawyer", case.id, "labor", str(world.id("wang"))) == world.id("zhao")
    run("publish_answer", case.id, "answer", "第一次答复", world.id("wang"), None,
        world.id("wang"))
    run("record_breach", case.id, "answer", world.id("zhao"))
    assert run("pick_lawyer", case.id, "labor", []) == world.id("li")


def test_pick_lawyer_raises_when_nobody_qualifies(session, run, world, case):
    everyone = [world.id(n) for n in ("wang", "li", "zhao", "sun")]
    with pytest.raises(NoLawyerAvailable):
        run("pick_lawyer", case.id, "labor", everyone)


def test_assign_lawyer_records_and_notifies(session, run, world, case):
    assert run("assign_lawyer", case.id, world.id("zhao")) == world.id("zhao")
    session.refresh(case)
    assert (case.lawyer_id, case.status) == (world.id("zhao"), "assigned")
    assert case.notified_at is not None
    [note] = notes(session, world.id("zhao"))
    assert note.kind == "task_assigned" and "5 小时" in note.body
    assert note.link == f"/consultations/{case.id}" and case.title in note.subject


def test_assign_lawyer_refuses_a_disqualified_lawyer(session, run, world, case):
    with pytest.raises(InvalidInput) as err:
        run("assign_lawyer", case.id, world.id("qian"))
    assert "next_lawyer_id" in err.value.fields
    session.refresh(case)
    assert case.lawyer_id is None and notes(session, world.id("qian")) == []


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


def test_publish_answer_rejects_unknown_kind_and_empty_text(run, world, case):
    with pytest.raises(InvalidInput):
        run("publish_answer", case.id, "draft", "x", world.id("wang"), None, None)
    with pytest.raises(InvalidInput):
        run("publish_answer", case.id, "answer", "  ", world.id("wang"), None, None)


@pytest.mark.parametrize("delegate", ["chen", "li"])
def test_check_delegate_accepts_a_colleague(run, world, delegate):
    assert run("check_delegate", world.id("wang"), world.id(delegate)) == world.id(delegate)
    assert run("check_delegate", world.id("wang"), str(world.id(delegate))) == world.id(delegate)


@pytest.mark.parametrize("delegate,message", [
    ("liu", "只能委托本机构的同事"),     # another institution's staff
    ("zhao", "只能委托本机构的同事"),    # another institution's lawyer
    ("wu", "只能委托本机构的同事"),      # a disabled colleague
    ("qian", "只能委托本机构的同事"),    # a disqualified colleague
    ("duty1", "只能委托本机构的同事"),   # not institution staff at all
    ("wang", "不能委托给自己"),
])
def test_check_delegate_refuses(run, world, delegate, message):
    with pytest.raises(InvalidInput) as err:
        run("check_delegate", world.id("wang"), world.id(delegate))
    assert err.value.fields == {"delegate_to": [message]}


def test_check_delegate_refuses_empty(run, world):
    with pytest.raises(InvalidInput) as err:
        run("check_delegate", world.id("wang"), "")
    assert list(err.value.fields) == ["delegate_to"]


def test_institution_of(run, world):
    assert run("institution_of", world.id("chen")) == world.institutions["east"]
    assert run("institution_of", world.id("duty1")) is None
    assert run("institution_of", None) is None


def test_notify_role_reaches_every_active_member(session, run, world, case):
    assert run("notify_role", "duty_officer", "callback_needed", case.id) == 2
    for name in ("duty1", "duty2"):
        [note] = notes(session, world.id(name))
        assert note.kind == "callback_needed" and "2 小时" in note.body
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


def test_feedback_breach_and_close(session, run, world, case):
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
    assert closed.kind == "closed" and "7 日内未作评价" in closed.body


def test_set_status(session, run, case):
    run("set_status", case.id, "expert_review")
    assert session.get(Consultation, case.id).status == "expert_review"
    with pytest.raises(InvalidInput):
        run("set_status", case.id, "lost")


def test_pick_institution(session, run, world, case):
    east, west = world.institutions["east"], world.institutions["west"]
    assert run("pick_institution", case.id, []) == east
    assert run("pick_institution", case.id, [east]) == west
    with pytest.raises(NoInstitutionAvailable):
        run("pick_institution", case.id, [east, west])
    session.get(Institution, west).active = False
    session.commit()
    with pytest.raises(NoInstitutionAvailable):
        run("pick_institution", case.id, [east])


def test_record_referral_keeps_one_row_per_referral(session, run, world, case):
    east, west = world.institutions["east"], world.institutions["west"]
    first = run("record_referral", case.id, "offered", east, None, None, None, None)
    run("record_referral", case.id, "declined", east, None, "本所律师均有利益冲突", None, None)
    run("record_referral", case.id, "accepted", west, world.id("zhao"), None, None, None)
    last = run("record_referral", case.id, "agreed", None, None, None, "WT-2026-001",
               "2026-03-05")
    assert first == last
    referral = session.get(Referral, last)
    assert (referral.status, referral.institution_id, referral.handler_id) == (
        "agreed", west, world.id("zhao"))
    assert referral.decline_reason == "本所律师均有利益冲突"
    assert (referral.agreement_no, referral.signed_on.isoformat()) == ("WT-2026-001",
                                                                       "2026-03-05")


def test_a_helper_error_rolls_back_everything(session, run, world, case):
    with pytest.raises(InvalidInput):
        ctx = ScriptContext(session, SimpleNamespace(id=None), world["duty1"])
        with transaction(session):
            bind(ctx)["assign_lawyer"](case.id, world.id("zhao"))
            bind(ctx)["assign_lawyer"](case.id, world.id("qian"))
    assert session.get(Consultation, case.id).lawyer_id is None
    assert session.scalars(select(Notification)).all() == []
    assert session.get(User, world.id("zhao")).status == "active"


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


def test_check_assignee(run, world):
    assert run("check_assignee", None, "lawyer", [], "next_lawyer_id") is None
    assert run("check_assignee", world.id("zhao"), "lawyer", [], "f") == world.id("zhao")
    assert run("check_assignee", world.id("expert1"), "expert", [], "expert_id") == world.id(
        "expert1")
    for who, role, exclude in [("qian", "lawyer", []), ("zhou", "lawyer", []),
                               ("zhao", "lawyer", [world.id("zhao")]), ("wang", "expert", [])]:
        with pytest.raises(InvalidInput) as err:
            run("check_assignee", world.id(who), role, exclude, "next_lawyer_id")
        assert list(err.value.fields) == ["next_lawyer_id"]


def test_notify_institution_reaches_its_active_members(session, run, world, case):
    assert run("notify_institution", world.institutions["west"], "reminder", case.id) == 3
    assert [n.kind for n in notes(session, world.id("liu"))] == ["reminder"]
    assert notes(session, world.id("wang")) == []


def test_the_same_notice_is_sent_once_per_use_case(session, world, case):
    ctx = ScriptContext(session, SimpleNamespace(id=None), world["wang"])
    helpers = bind(ctx)
    with transaction(session):
        helpers["publish_answer"](case.id, "answer", "答复", world.id("wang"), None, None)
        helpers["notify"](world.id("citizen1"), "answer_published", case.id)
    assert len(notes(session, world.id("citizen1"))) == 1
