"""Scenarios 1, 2, 3, 12: answered and closed, screening, refusal, no disqualified lawyer."""
import pytest
from sqlalchemy import event

from engine.errors import InvalidInput
from engine.models import Answer, Consultation, Feedback, User

ANSWER = "用人单位应当及时足额支付劳动报酬，您可以向劳动争议仲裁委员会申请仲裁。"
GUIDANCE = "您咨询的案件已进入诉讼程序，依照规定不予解答，请向审理案件的人民法院了解情况。"


def instance_status(play, cid):
    return play.instance(cid).status


def statements_of_view(play, who: str, cid: int) -> int:
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    engine = play.Session.kw["bind"]
    event.listen(engine, "before_cursor_execute", listener)
    try:
        play.view(who, cid)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen)


def test_a_consultations_page_reads_the_people_it_names_at_once(play, world):
    """The lawyer, the answers' authors and the timeline's actors are read in one query, and
    the instance's version with the consultation: a citizen refreshing the page, or a duty
    officer opening it, costs the same few statements however much has happened."""
    cid = play.submit()
    before = {who: statements_of_view(play, who, cid) for who in ("citizen1", "duty1")}
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    play.do("citizen1", "rate_answer", cid, satisfied=True, feedback_comment="解答很清楚")
    view = play.view("duty1", cid)
    assert (len(view.answers), view.lawyer_name) == (1, "王律师")
    assert {e.actor_name for e in view.timeline} >= {"张三", "王律师"}
    after = {who: statements_of_view(play, who, cid) for who in ("citizen1", "duty1")}
    # consultation and version, answers, audit events, names, task names, referral
    assert all(n <= 6 for n in after.values()), (before, after)
    assert all(after[who] - before[who] <= 1 for who in after), (before, after)  # task names


def test_answered_by_the_assigned_lawyer_then_satisfied_and_closed(play, world):
    cid = play.submit()
    assert play.keys("wang", cid) == ["answer_consultation"]
    [assigned] = play.notices("wang", cid)
    task = play.task("wang", "answer_consultation", cid)
    assert assigned.kind == "task_assigned" and assigned.link == f"/tasks/{task.id}"
    assert play.view("citizen1", cid).status == "assigned"

    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    view = play.view("citizen1", cid)
    assert view.status == "answered"
    assert [(a.kind, a.text, a.author_name) for a in view.answers] == [
        ("answer", ANSWER, "王律师")]
    assert [n.kind for n in play.notices("citizen1", cid)] == ["answer_published"]
    assert play.keys("citizen1", cid) == ["rate_answer"]

    play.do("citizen1", "rate_answer", cid, satisfied=True, feedback_comment="解答很清楚")
    view = play.view("citizen1", cid)
    assert view.status == "closed" and view.closed_at is not None
    [feedback] = play.rows(Feedback, cid)
    assert (feedback.satisfied, feedback.comment, feedback.wants_referral) == (
        True, "解答很清楚", False)
    [answer] = play.rows(Answer, cid)
    assert (answer.author_id, answer.drafter_id, answer.flagged) == (world.id("wang"), None,
                                                                     False)
    assert instance_status(play, cid) == "completed"
    assert play.inbox("wang") == [] and play.inbox("citizen1") == []


@pytest.mark.parametrize("case_status,guidance", [
    ("in_litigation", "正处于诉讼程序中"),
    ("being_handled", "正由司法机关或行政执法机关办理"),
    ("concluded", "已办结生效"),
])
def test_screening_rejects_with_guidance(play, world, case_status, guidance):
    cid = play.submit(case_status=case_status)
    view = play.view("citizen1", cid)
    assert view.status == "rejected" and guidance in view.screening_reason
    assert view.closed_at is not None and view.answers == []
    [note] = play.notices("citizen1", cid)
    assert note.kind == "rejected" and note.body == view.screening_reason
    assert instance_status(play, cid) == "completed"
    assert all(play.inbox(who) == [] for who in ("wang", "zhao", "duty1"))


def test_screening_accepts_an_ordinary_petition_matter(play, world):
    cid = play.submit(case_status="petition", title="信访事项咨询")
    assert play.view("citizen1", cid).status == "assigned"
    assert play.keys("wang", cid) == ["answer_consultation"]


def test_lawyer_refuses_with_guidance(play, world):
    cid = play.submit()
    with pytest.raises(InvalidInput) as err:
        play.do("wang", "answer_consultation", cid, decision="refuse")
    assert list(err.value.fields) == ["refuse_reason"]
    assert play.keys("wang", cid) == ["answer_consultation"]  # nothing happened

    play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=GUIDANCE)
    assert play.view("citizen1", cid).answers == []  # not before a duty officer confirms it
    assert play.keys("duty1", cid) == ["review_refusal"]
    play.do("duty1", "review_refusal", cid, refusal_decision="confirm")
    view = play.view("citizen1", cid)
    assert [(a.kind, a.text, a.author_name) for a in view.answers] == [
        ("refusal", GUIDANCE, "王律师")]
    assert view.status == "refused" and view.closed_at is not None
    assert "answer_published" in [n.kind for n in play.notices("citizen1", cid)]
    assert instance_status(play, cid) == "completed"


def test_an_overruled_refusal_goes_to_another_lawyer_and_stays_on_record(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=GUIDANCE)
    play.do("duty1", "review_refusal", cid, refusal_decision="overrule",
            refusal_review_notes="这是劳动报酬问题，可以解答。")
    assert play.inbox("wang", cid) == []
    assert play.keys("zhao", cid) == ["answer_consultation"]
    assert play.view("citizen1", cid).answers == []  # the citizen never sees the refusal
    kinds = [(a.kind, a.author_name) for a in play.view("supervisor", cid).answers]
    assert kinds == [("overruled_refusal", "王律师")]  # on record for supervisors


def test_a_refusal_not_reviewed_in_two_hours_is_escalated(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="refuse", refuse_reason=GUIDANCE)
    play.later(hours=2, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]
    assert play.keys("duty1", cid) == ["review_refusal"]


def test_a_disqualified_lawyer_is_never_assigned(play, world):
    # Only the disqualified lawyer (and one of a withdrawn institution) know criminal law.
    cid = play.submit(category="criminal", title="被人打伤怎么办")
    with play.Session() as s:
        assert s.get(Consultation, cid).lawyer_id == world.id("wang")
    assert play.inbox("qian") == [] and play.inbox("zhou") == []
    assert play.notices("qian", cid) == []

    # A lawyer disqualified today gets no new work either.
    with play.Session() as s:
        s.get(User, world.id("wang")).status = "disqualified"
        s.commit()
    second = play.submit(title="加班费")
    assert play.keys("zhao", second) == ["answer_consultation"]
    assert play.inbox("wang", second) == []


def test_the_duty_officer_cannot_hand_work_to_a_disqualified_lawyer(play, world):
    cid = play.submit()
    play.later(hours=5, minutes=1)
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "handle_overdue", cid, next_lawyer_id=world.id("qian"))
    assert list(err.value.fields) == ["next_lawyer_id"]
    assert play.inbox("qian") == [] and play.keys("duty1", cid) == ["handle_overdue"]


def test_no_lawyer_available_keeps_the_question_for_the_duty_officer(play, world):
    # Everyone who could answer is away: the question is kept and a duty officer assigns it.
    with play.Session() as s:
        for name in ("wang", "li", "zhao", "sun"):
            s.get(User, world.id(name)).status = "disabled"
        s.commit()
    cid = play.submit()
    assert play.view("citizen1", cid).status == "screening"
    assert play.keys("duty1", cid) == ["assign_manually"]
    assert [n.kind for n in play.notices("duty2", cid)] == ["escalation"]
    with pytest.raises(InvalidInput) as err:  # still nobody on duty: refused, nothing moves
        play.do("duty1", "assign_manually", cid, manual_action="designate",
                next_lawyer_id=world.id("wang"))
    assert list(err.value.fields) == ["next_lawyer_id"]

    with play.Session() as s:
        s.get(User, world.id("zhao")).status = "active"
        s.commit()
    play.do("duty1", "assign_manually", cid, manual_action="designate",
            next_lawyer_id=world.id("zhao"))
    assert play.keys("zhao", cid) == ["answer_consultation"]
    assert play.view("citizen1", cid).status == "assigned"
    assert [n.kind for n in play.notices("zhao", cid)] == ["task_assigned"]


def _nobody_on_duty(play, world):
    with play.Session() as s:
        for name in ("wang", "li", "zhao", "sun"):
            s.get(User, world.id(name)).status = "disabled"
        s.commit()


def test_with_nobody_left_the_duty_officer_closes_with_a_written_explanation(play, world):
    """No dead end: when no lawyer can take it, the question is closed and the citizen told
    why, instead of waiting for ever."""
    _nobody_on_duty(play, world)
    cid = play.submit()
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "assign_manually", cid, manual_action="close")
    assert list(err.value.fields) == ["close_explanation"]
    why = "目前没有可以解答该类问题的驻场律师，建议拨打12348公共法律服务热线咨询。"
    play.do("duty1", "assign_manually", cid, manual_action="close", close_explanation=why)
    assert play.view("citizen1", cid).status == "closed"
    assert why in play.notices("citizen1", cid, "closed")[0].body
    assert play.instance(cid).status == "completed"


def test_an_unassigned_question_is_escalated_after_two_hours(play, world):
    _nobody_on_duty(play, world)
    cid = play.submit()
    play.later(hours=2, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]
    assert play.keys("duty1", cid) == ["assign_manually"]
