"""Scenario 11: offline engagement, only when the satisfied citizen asks for it."""
from engine.models import Institution, Referral, SlaBreach

ANSWER = "可以申请劳动仲裁。"


def satisfied_and_wants_referral(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    play.do("citizen1", "rate_answer", cid, satisfied=True, wants_referral=True)
    assert play.view("citizen1", cid).status == "referral"
    play.do("duty1", "arrange_referral", cid, arrange_notes="已与咨询人确认委托意向")
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.institution_id) == ("offered",
                                                          world.institutions["east"])
    return cid


def test_the_answering_lawyers_institution_accepts(play, world):
    cid = satisfied_and_wants_referral(play, world)
    # Anyone of the answering lawyer's institution may take it; nobody else sees it.
    assert play.keys("li", cid) == ["accept_referral"] and play.inbox("zhao", cid) == []
    assert play.view("li", cid).contact_phone is None  # arranged through the platform only

    play.later(hours=24, minutes=1)  # the acceptance deadline reminds, it does not cancel
    assert [b.stage for b in play.rows(SlaBreach, cid)] == ["referral_accept"]
    assert "reminder" in [n.kind for n in play.notices("li", cid)]

    play.do("wang", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("wang"))
    assert play.keys("wang", cid) == ["record_agreement"]
    play.later(hours=72, minutes=1)
    assert [b.stage for b in play.rows(SlaBreach, cid)] == ["referral_accept",
                                                             "referral_agreement"]
    play.do("wang", "record_agreement", cid, agreement_no="DC-2026-017", signed_on="2026-03-06",
            handler_id=world.id("wang"))

    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.institution_id, referral.handler_id) == (
        "agreed", world.institutions["east"], world.id("wang"))
    assert (referral.agreement_no, referral.signed_on.isoformat()) == ("DC-2026-017",
                                                                       "2026-03-06")
    assert "referral_update" in [n.kind for n in play.notices("citizen1", cid)]
    assert play.view("citizen1", cid).status == "closed"
    assert play.instance(cid).status == "completed"


def test_declined_then_another_institution_accepts(play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="decline",
            decline_reason="本所律师与对方当事人存在利益冲突")
    assert play.keys("duty1", cid) == ["reassign_referral"]
    play.do("duty1", "reassign_referral", cid, reassign_notes="改由其他机构承接")
    assert play.inbox("li", cid) == []
    assert play.keys("zhao", cid) == ["accept_referral"]
    play.do("zhao", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("sun"))
    play.do("sun", "record_agreement", cid, agreement_no="XC-2026-003", signed_on="2026-03-04",
            handler_id=world.id("sun"))

    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.institution_id, referral.handler_id) == (
        "agreed", world.institutions["west"], world.id("sun"))
    assert referral.decline_reason == "本所律师与对方当事人存在利益冲突"
    timeline = play.view("duty1", cid).timeline
    offers = [e.data["status"] for e in timeline if e.action == "referral_updated"]
    assert offers == ["offered", "declined", "offered", "accepted", "agreed"]


def test_no_referral_unless_the_citizen_asks(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    play.do("citizen1", "rate_answer", cid, satisfied=True, wants_referral=False)
    assert play.rows(Referral, cid) == [] and play.inbox("duty1", cid) == []


def test_each_reassignment_starts_from_an_empty_form(play, world):
    with play.Session() as s:
        s.get(Institution, world.institutions["gone"]).active = True  # a third institution
        s.commit()
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="decline", decline_reason="冲突")
    play.do("duty1", "reassign_referral", cid, next_institution_id=world.institutions["west"])
    play.do("zhao", "accept_referral", cid, referral_decision="decline", decline_reason="满负荷")
    # Left empty this time: the platform picks, and the earlier choice does not linger.
    play.do("duty1", "reassign_referral", cid, reassign_notes="请系统另选机构")
    assert play.keys("zhou", cid) == ["accept_referral"]
    assert play.rows(Referral, cid)[0].institution_id == world.institutions["gone"]


def test_the_handler_must_belong_to_the_accepting_institution(play, world):
    import pytest

    from engine.errors import InvalidInput

    cid = satisfied_and_wants_referral(play, world)
    with pytest.raises(InvalidInput) as err:  # zhao works for another institution
        play.do("wang", "accept_referral", cid, referral_decision="accept",
                handler_id=world.id("zhao"))
    assert list(err.value.fields) == ["handler_id"]
    assert play.keys("li", cid) == ["accept_referral"]  # nothing moved
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.handler_id) == ("offered", None)


def test_when_every_institution_declines_the_citizen_is_told(play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="decline",
            decline_reason="利益冲突")
    play.do("duty1", "reassign_referral", cid, reassign_notes="改由其他机构承接")
    play.do("zhao", "accept_referral", cid, referral_decision="decline",
            decline_reason="本所近期无法承接")
    # No qualified institution is left: the duty officer's step ends the referral.
    play.do("duty1", "reassign_referral", cid, reassign_notes="已无其他机构")
    [referral] = play.rows(Referral, cid)
    assert referral.status == "failed"
    assert [n.kind for n in play.notices("citizen1", cid)][-2:] == ["referral_update", "closed"]
    assert play.view("citizen1", cid).status == "closed"
    assert play.instance(cid).status == "completed"


def _withdraw(play, world, key):
    with play.Session() as s:
        s.get(Institution, world.institutions[key]).active = False
        s.commit()


def test_a_withdrawn_institution_is_never_offered_the_referral(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    play.do("citizen1", "rate_answer", cid, satisfied=True, wants_referral=True)
    _withdraw(play, world, "east")  # the answering lawyer's institution left the platform
    play.do("duty1", "arrange_referral", cid, arrange_notes="已确认委托意向")
    [referral] = play.rows(Referral, cid)
    assert (referral.status, referral.institution_id) == ("offered", world.institutions["west"])
    assert play.inbox("li", cid) == [] and play.keys("zhao", cid) == ["accept_referral"]


def test_an_institution_withdrawn_while_asked_cannot_accept(play, world):
    import pytest

    from engine.errors import InvalidInput

    cid = satisfied_and_wants_referral(play, world)
    _withdraw(play, world, "east")
    with pytest.raises(InvalidInput) as err:
        play.do("wang", "accept_referral", cid, referral_decision="accept",
                handler_id=world.id("wang"))
    assert list(err.value.fields) == ["referral_decision"]


def test_the_duty_officer_cannot_pick_a_withdrawn_institution(play, world):
    import pytest

    from engine.errors import InvalidInput

    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="decline", decline_reason="利益冲突")
    with pytest.raises(InvalidInput) as err:
        play.do("duty1", "reassign_referral", cid, reassign_notes="交已停驻机构",
                next_institution_id=world.institutions["gone"])
    assert list(err.value.fields) == ["next_institution_id"]


def test_an_institution_that_never_answers_is_replaced_after_48_hours(play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.later(hours=24, minutes=1)  # reminded once
    assert play.keys("li", cid) == ["accept_referral"]
    play.later(hours=24)  # 48 hours: counted as a decline, the duty officer picks another
    assert play.inbox("li", cid) == []
    assert play.keys("duty1", cid) == ["reassign_referral"]
    play.do("duty1", "reassign_referral", cid, reassign_notes="原机构逾期未答复")
    assert play.keys("zhao", cid) == ["accept_referral"]
    back_office = play.view("duty1", cid).referral
    assert [(d.institution, d.reason) for d in back_office.declines] == [
        ("东城律师事务所", "48小时内未答复，视为无法受理")]


def test_the_citizen_sees_who_will_contact_them_by_when_then_the_agreement(play, world):
    cid = satisfied_and_wants_referral(play, world)
    offered = play.view("citizen1", cid).referral
    assert (offered.status, offered.institution) == ("offered", "东城律师事务所")
    assert offered.due_at is not None and offered.declines == []
    play.do("wang", "accept_referral", cid, referral_decision="accept",
            handler_id=world.id("wang"))
    accepted = play.view("citizen1", cid).referral
    assert (accepted.status, accepted.institution, accepted.handler) == (
        "accepted", "东城律师事务所", "王律师")
    assert accepted.due_at is not None and accepted.due_at > offered.due_at
    play.do("wang", "record_agreement", cid, agreement_no="DC-2026-018", signed_on="2026-03-05",
            handler_id=world.id("wang"))
    agreed = play.view("citizen1", cid).referral
    assert (agreed.status, agreed.agreement_no, agreed.signed_on) == (
        "agreed", "DC-2026-018", "2026-03-05")


def test_the_duty_officer_sees_each_declines_reason(play, world):
    cid = satisfied_and_wants_referral(play, world)
    play.do("wang", "accept_referral", cid, referral_decision="decline", decline_reason="利益冲突")
    play.do("duty1", "reassign_referral", cid, reassign_notes="改由其他机构承接")
    play.do("zhao", "accept_referral", cid, referral_decision="decline", decline_reason="人手不足")
    declines = play.view("duty1", cid).referral.declines
    assert [(d.institution, d.reason) for d in declines] == [
        ("东城律师事务所", "利益冲突"), ("西城法律服务所", "人手不足")]
    assert play.view("citizen1", cid).referral.declines == []


def test_an_unarranged_referral_is_escalated_after_a_day(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="answer", answer_text=ANSWER)
    play.do("citizen1", "rate_answer", cid, satisfied=True, wants_referral=True)
    play.later(hours=24, minutes=1)
    assert "escalation" in [n.kind for n in play.notices("supervisor", cid)]
    assert play.keys("duty1", cid) == ["arrange_referral"]
