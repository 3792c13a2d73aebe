"""Back-office screening: a question whose words point to a case in litigation, being handled
or concluded goes to a duty officer before any lawyer sees it, whatever the citizen declared."""
import pytest

from engine.models import HumanTask

CONCLUDED = "法院的判决已经生效了，但是对方一直不履行，我还能怎么办？"


def lawyers_tasks(play, cid):
    return [who for who in ("wang", "li", "zhao") if play.inbox(who, cid)]


@pytest.mark.parametrize("declared", ["none", "petition"])
def test_a_concluded_case_declared_otherwise_waits_for_a_duty_officer(play, world, declared):
    cid = play.submit(question=CONCLUDED, case_status=declared)
    assert play.keys("duty1", cid) == ["review_screening"]
    assert lawyers_tasks(play, cid) == []
    assert play.view("citizen1", cid).status == "screening"


def test_the_duty_officer_rejects_with_guidance_the_citizen_reads(play, world):
    cid = play.submit(question=CONCLUDED)
    note = "您的案件判决已经生效，如有异议可以向原审法院申请再审。"
    play.do("duty1", "review_screening", cid, screening_decision="reject", screening_note=note)
    view = play.view("citizen1", cid)
    assert view.status == "rejected"
    assert [n.body for n in play.notices("citizen1", cid, "rejected")] == [note]
    assert lawyers_tasks(play, cid) == [] and play.instance(cid).status == "completed"


def test_a_rejection_without_a_note_gives_the_standard_guidance(play, world):
    cid = play.submit(question="一审已经开庭审理了，下个月宣判，我想问问结果会怎样？")
    play.do("duty1", "review_screening", cid, screening_decision="reject")
    [notice] = play.notices("citizen1", cid, "rejected")
    assert "正处于诉讼程序中" in notice.body


def test_accepted_by_the_duty_officer_it_goes_to_a_lawyer(play, world):
    cid = play.submit(question="公安局已经立案侦查了，我作为证人需要注意什么？")
    play.do("duty1", "review_screening", cid, screening_decision="accept")
    assert lawyers_tasks(play, cid) == ["wang"]
    assert play.keys("wang", cid) == ["answer_consultation"]


def test_a_clean_question_goes_straight_to_a_lawyer(play, world):
    cid = play.submit(question="公司三个月没发工资，我想申请劳动仲裁，需要准备什么材料？")
    assert play.keys("duty1", cid) == [] and play.keys("wang", cid) == ["answer_consultation"]


def test_an_unscreened_question_is_escalated_after_two_hours(play, world):
    cid = play.submit(question=CONCLUDED)
    with play.Session() as s:
        [task] = s.query(HumanTask).filter_by(bpmn_id="review_screening").all()
    assert task.due_at is not None  # the duty officer sees when it is due
    play.later(hours=2, minutes=1)
    assert [n.kind for n in play.notices("duty1", cid)] == ["screening_needed", "escalation"]
    assert [n.kind for n in play.notices("supervisor", cid)] == ["escalation"]
    assert play.keys("duty1", cid) == ["review_screening"]  # still waiting, now escalated
