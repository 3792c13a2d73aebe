"""The instance view's trace: where a consultation waits and the path it took, per diagram."""
from engine.workflow.instance_view import instance_trace

DRAFT = "初步意见：可以申请劳动仲裁。"


def trace(play, cid):
    with play.Session() as s:
        return instance_trace(s, play.instance(cid).id)


def test_a_new_consultation_waits_for_the_lawyer(play, world):
    cid = play.submit()
    found = trace(play, cid)
    assert (found["process_key"], found["version_number"]) == ("consultation", 1)
    assert "consultation.bpmn" in found["files"] and "screening.dmn" in found["files"]
    [main] = found["diagrams"]
    assert main["file"] == "consultation.bpmn"
    assert {"answer_consultation", "stage_overdue"} <= set(main["active"])  # and its timer
    assert "answer_consultation" not in main["completed"]
    assert {"screen_question", "assign", "notify_assigned"} <= set(main["completed"])
    assert "rate_answer" not in main["completed"] + main["active"]
    assert ["screen_question", "gw_screening"] in [list(f) for f in main["flows"]]


def test_expert_review_shows_the_called_diagram_too(play, world):
    cid = play.submit()
    play.do("wang", "answer_consultation", cid, decision="expert_review", answer_text=DRAFT)
    main, called = trace(play, cid)["diagrams"]
    assert main["file"] == "consultation.bpmn" and called["file"] == "expert_review.bpmn"
    assert "call_expert_review" in main["active"]
    assert "answer_consultation" in main["completed"]
    assert sorted(called["active"]) == ["assign_deadline", "assign_expert"]  # and its timer
