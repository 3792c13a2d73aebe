"""Disqualification at once: every open piece of the lawyer's work leaves them, whatever stage
it is in, and whoever takes it over is someone the work's eligibility rule accepts."""
import pytest

from engine.actor import Actor
from engine.consultation import reassign
from engine.errors import InvalidInput, NotAllowed, NotFound
from engine.models import Answer, Consultation, HumanTask, Referral, SlaBreach, User
from engine.oversight import standing, supervision
from engine.people import institutions
from engine.workflow import tasks
from tests.engine.consultation.scenarios.test_referral import satisfied_and_wants_referral

REASON = "在解答中留下个人微信，招揽线下业务"


def fresh_actor(session, user_id: int) -> Actor:
    return Actor.of(session.get(User, user_id))


def disqualify(play, who: str) -> None:
    with play.Session() as s:
        supervision.disqualify(s, play.world["supervisor"], play.world.id(who), REASON)


def queued(play, key: str, cid: int):
    """The task waiting in the duty officers' reassignment queue."""
    with play.Session() as s:  # the queue, not the inbox: nobody may claim it there
        found = [t for t in reassign.queued(s, play.world["duty1"])
                 if t.key == key and t.business_key == str(cid)]
    assert len(found) == 1, [t.key for t in found]
    return found[0]


def picker(play, task_id: str) -> list[int]:
    with play.Session() as s:
        return [i for i, _name in reassign.candidates(s, task_id, play.world["duty1"])]


def reassign_to(play, task_id: str, who: str, cid: int) -> None:
    with play.Session() as s:
        reassign.reassign_task(s, task_id, play.world.id(who), play.world["duty1"])
    play.check(cid)


def refused(play, task_id: str, who: str) -> str:
    with pytest.raises(InvalidInput) as err, play.Session() as s:
        reassign.reassign_task(s, task_id, play.world.id(who), play.world["duty1"])
    return err.value.fields["new_user_id"][0]


def test_disqualified_while_a_draft_is_pending_never_gets_review_draft(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    disqualify(play, "wang")
    play.do("chen", "draft_answer", cid, draft_text="可以申请劳动仲裁。")  # the colleague goes on

    assert play.inbox("wang", cid) == []  # the approval never reaches him ...
    review = queued(play, "review_draft", cid)  # ... it waits for a duty officer
    assert review.reassign_from == world.id("wang")
    with pytest.raises((NotFound, NotAllowed)), play.Session() as s:  # nor can he complete it
        tasks.complete(s, review.id, world["wang"], {"draft_decision": "approve"})

    # The approval stays within the delegating lawyer's institution.
    assert picker(play, review.id) == [world.id("li")]
    assert refused(play, review.id, "zhao") == "起草和审核只能由委托律师所在机构的人员承担"
    reassign_to(play, review.id, "li", cid)
    play.do("li", "review_draft", cid, draft_decision="approve")
    [answer] = play.rows(Answer, cid)
    assert (answer.author_id, answer.drafter_id, answer.approver_id) == (
        world.id("li"), world.id("chen"), world.id("li"))


def test_disqualified_with_review_draft_in_hand_loses_it_at_once(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))
    play.do("chen", "draft_answer", cid, draft_text="可以申请劳动仲裁。")
    review = play.task("wang", "review_draft", cid)
    disqualify(play, "wang")
    with pytest.raises(NotFound), play.Session() as s:  # it left his hands with the sanction
        tasks.complete(s, review.id, world["wang"], {"draft_decision": "approve"})
    assert queued(play, "review_draft", cid).id == review.id
    assert play.rows(Answer, cid) == []


def test_disqualified_lawyer_cannot_claim_or_accept_the_institutions_referral(play, world):
    cid = satisfied_and_wants_referral(play, world)
    offer = play.task("wang", "accept_referral", cid)
    with play.Session() as s:
        tasks.claim(s, offer.id, world["wang"])
    disqualify(play, "wang")

    with play.Session() as s:
        row = s.get(HumanTask, offer.id)
        assert (row.claimed_by, row.reassign_from) == (None, None)  # back to the institution
    assert "task_released" in [n.kind for n in play.notices("li", cid)]
    for use_case in (tasks.claim, lambda s, t, a: tasks.complete(
            s, t, a, {"referral_decision": "accept", "handler_id": world.id("wang")})):
        with pytest.raises(NotAllowed), play.Session() as s:  # with the stale actor
            use_case(s, offer.id, world["wang"])
    with play.Session() as s:  # as he is now: his inbox is empty
        assert tasks.tasks_for_user(s, fresh_actor(s, world.id("wang"))) == []
    play.do("li", "accept_referral", cid, referral_decision="accept", handler_id=world.id("li"))
    assert play.keys("li", cid) == ["record_agreement"]


def test_a_disqualified_handler_of_an_accepted_referral_is_replaced_before_the_agreement(
        play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("wang"))
    assert play.view("citizen1", cid).referral.handler == "王律师"
    disqualify(play, "wang")

    shown = play.view("citizen1", cid).referral  # the citizen is told, and sees no name
    assert (shown.status, shown.institution, shown.handler) == ("accepted", "东城律师事务所", None)
    [told] = play.notices("citizen1", cid, "referral_update")[-1:]
    assert "另行指定承办人" in told.body
    [asked] = play.notices("li", cid, "handler_released")  # his colleagues name another
    assert asked.link == f"/tasks/{play.task('li', 'record_agreement', cid).id}"
    with pytest.raises(InvalidInput) as err:  # not him, whoever records it
        play.do("li", "record_agreement", cid, agreement_no="DC-2026-020",
                signed_on="2026-03-06", handler_id=world.id("wang"))
    assert "handler_id" in err.value.fields
    play.later(hours=72, minutes=1)  # the agreement's deadline is not his either
    assert [(b.stage, b.user_id) for b in play.rows(SlaBreach, cid)] == [
        ("referral_agreement", None)]
    play.do("li", "record_agreement", cid, agreement_no="DC-2026-020", signed_on="2026-03-06",
            handler_id=world.id("li"))
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.handler_id) == ("agreed", world.id("li"))
    assert play.view("citizen1", cid).referral.handler == "李律师"


def test_a_released_handler_reinstated_before_the_agreements_deadline_is_not_charged(
        play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("wang"))
    disqualify(play, "wang")
    with play.Session() as s:  # back in standing; nobody made him the handler again
        supervision.reinstate(s, world["supervisor"], world.id("wang"), "申诉成立")
    play.later(hours=72, minutes=1)
    assert [(b.stage, b.user_id) for b in play.rows(SlaBreach, cid)] == [
        ("referral_agreement", None)]
    play.do("wang", "record_agreement", cid, agreement_no="DC-2026-021",
            signed_on="2026-03-06", handler_id=world.id("wang"))  # named again: his now
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.handler_id) == ("agreed", world.id("wang"))


def test_an_institution_whose_residency_ends_loses_its_members_work_at_once(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("chen"))  # the draft is with his colleague
    with play.Session() as s:
        institutions.end_residency(s, world["admin"], world.institutions["east"], "驻场期满")
    draft = queued(play, "draft_answer", cid)
    assert draft.reassign_from == world.id("chen")
    assert picker(play, draft.id) == []  # drafting stays within the delegating institution
    assert play.inbox("wang") == play.inbox("li") == play.inbox("chen") == []
    other = play.submit()  # new questions go to the lawyers still resident
    with play.Session() as s:
        assert s.get(Consultation, other).lawyer_id == world.id("zhao")
        assert play.notices("li", other) == []  # nobody of that institution is told to take it
        institutions.resume_residency(s, world["admin"], world.institutions["east"])
    assert play.keys("wang", cid) == []  # work taken from them waits where it was queued
    assert queued(play, "draft_answer", cid).id == draft.id


def test_a_handler_whose_account_is_disabled_leaves_the_referral_too(play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("li", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("chen"))  # the institution's staff may handle it
    with play.Session() as s:
        standing.disable(s, world["admin"], world.id("chen"), "已离职")
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.handler_id) == ("accepted", None)
    assert play.notices("wang", cid, "handler_released")  # a colleague names another
    assert play.view("citizen1", cid).referral.handler is None


def test_a_delegated_draft_is_never_reassigned_to_another_institution(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="delegate",
            delegate_to=world.id("li"))  # a lawyer colleague drafts
    disqualify(play, "li")
    draft = queued(play, "draft_answer", cid)
    assert picker(play, draft.id) == [world.id("chen")]  # not the lawyer himself, not west
    for outsider in ("liu", "zhao"):
        assert refused(play, draft.id, outsider) == "起草和审核只能由委托律师所在机构的人员承担"
    assert refused(play, draft.id, "wang") == "请选择另一位人员"
    reassign_to(play, draft.id, "chen", cid)
    assert play.keys("chen", cid) == ["draft_answer"]


def test_a_re_answer_never_goes_back_to_a_previous_answerer(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text="可以申请仲裁。")
    play.do("citizen1", "rate_answer", cid, satisfied=False, feedback_comment="太笼统")
    play.do("duty1", "callback_citizen", cid, callback_notes="已回访", callback_action="reanswer")
    assert play.keys("zhao", cid) == ["answer_consultation"]
    disqualify(play, "zhao")
    again = queued(play, "answer_consultation", cid)
    offered = picker(play, again.id)
    assert set(offered) == {world.id("li"), world.id("sun")}  # zhou's institution withdrew
    assert refused(play, again.id, "wang") == "该律师已解答过或未按时解答本咨询，不能再次承办"


def test_a_citizens_step_is_never_reassigned(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text="可以申请仲裁。")
    rate = play.task("citizen1", "rate_answer", cid)
    with pytest.raises(NotAllowed), play.Session() as s:
        reassign.reassign_task(s, rate.id, world.id("citizen2"), world["duty1"])
    with pytest.raises(NotAllowed), play.Session() as s:
        reassign.candidates(s, rate.id, world["duty1"])
    assert play.keys("citizen1", cid) == ["rate_answer"] and play.inbox("citizen2", cid) == []


def test_an_arbitrary_task_id_is_refused(play, world):
    cid = play.submit()
    live = play.task("wang", "answer_consultation", cid)  # held, not queued
    with pytest.raises(NotAllowed), play.Session() as s:
        reassign.reassign_task(s, live.id, world.id("li"), world["duty1"])
    with pytest.raises(NotFound), play.Session() as s:
        reassign.reassign_task(s, "no-such-task", world.id("li"), world["duty1"])
    assert play.task("wang", "answer_consultation", cid).id == live.id


@pytest.mark.parametrize("stage", ["answer_consultation", "review_draft"])
def test_the_picker_offers_exactly_whom_the_engine_accepts(play, world, stage):
    """Round after round: everyone not offered is refused, the first offered is accepted;
    disqualifying them queues the work again, and the next round offers the others."""
    cid = play.submit()
    if stage == "review_draft":
        play.do("wang", "answer_consultation", cid, decision="delegate",
                delegate_to=world.id("chen"))
        play.do("chen", "draft_answer", cid, draft_text="可以申请劳动仲裁。")
    disqualify(play, "wang")
    name_of = {user_id: name for name, user_id in world.users.items()}
    still_offered = None  # who the previous round offered, less the one who took it
    while True:
        task = queued(play, stage, cid)
        offered = picker(play, task.id)
        if still_offered is not None:
            assert set(offered) == still_offered
        for user_id, name in name_of.items():
            if user_id not in offered:
                refused(play, task.id, name)
        if not offered:
            break
        taker = name_of[offered[0]]
        reassign_to(play, task.id, taker, cid)  # the engine accepts whom the picker offers
        assert play.keys(taker, cid) == [stage]
        still_offered = set(offered) - {offered[0]}
        disqualify(play, taker)


def test_a_disabled_lawyer_loses_his_open_work_at_once(play, world):
    """An administrator disabling an account (CLI or admin page) queues its work, like a
    disqualification: nothing waits on someone who can no longer act."""
    from engine.actor import Actor
    from engine.people import users

    cid = play.submit()
    task = play.task("wang", "answer_consultation", cid)
    with play.Session() as s:
        users.disable(s, Actor.system(), world.id("wang"))
    assert play.inbox("wang") == []
    assert queued(play, "answer_consultation", cid).id == task.id
