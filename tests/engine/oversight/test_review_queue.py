"""The supervisors' queue of flagged answers and complaints: dismiss, or open a case."""
from datetime import UTC, datetime, timedelta

import pytest

from engine.errors import InvalidInput, NotAllowed, TaskConflict
from engine.models import Answer, AnswerReview, Complaint, Consultation, Feedback
from engine.oversight import review_queue, supervision

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def queue_data(session, people, supervision_diagrams):
    lawyer = people["lawyer"].id
    row = Consultation(title="邻里纠纷", question="楼上漏水", category="neighbour",
                       lawyer_id=lawyer, citizen_id=people["citizen"].id, created_at=T0)
    session.add(row)
    session.flush()
    flagged = Answer(consultation_id=row.id, kind="answer", author_id=lawyer, flagged=True,
                     text="详情请加我微信 lawyer_wang 私聊", published_at=T0 + timedelta(hours=1))
    clean = Answer(consultation_id=row.id, kind="answer", author_id=lawyer,
                   text="可以先协商，协商不成可申请人民调解", published_at=T0 + timedelta(hours=2))
    session.add_all([flagged, clean])
    session.flush()
    complaint = Complaint(consultation_id=row.id, citizen_id=people["citizen"].id,
                          lawyer_id=lawyer, reason="solicitation", text="律师让我去他的律所面谈",
                          created_at=T0 + timedelta(hours=3))
    # A dissatisfied rating, even with a comment, is not a complaint about conduct.
    unhappy = Feedback(consultation_id=row.id, answer_id=clean.id, satisfied=False,
                       comment="回答太笼统了", created_at=T0 + timedelta(hours=4))
    happy = Feedback(consultation_id=row.id, answer_id=clean.id, satisfied=True,
                     comment="很好", created_at=T0 + timedelta(hours=5))
    session.add_all([complaint, unhappy, happy])
    session.commit()
    return flagged, complaint


def test_queue_lists_flags_and_complaints(session, supervisor, queue_data):
    flagged, complaint = queue_data
    items = review_queue.review_queue(session, supervisor)
    assert [(i.kind, i.id, i.lawyer_id) for i in items] == [
        ("flag", flagged.id, flagged.author_id), ("complaint", complaint.id, flagged.author_id)]


def test_dismiss_and_open_case(session, people, supervisor, queue_data):
    flagged, complaint = queue_data
    dismissed = review_queue.dismiss_flag(session, supervisor, flagged.id, "为法院公开电话")
    assert (dismissed.outcome, dismissed.instance_id) == ("dismissed", None)
    case = review_queue.open_complaint_case(session, supervisor, complaint.id, "诱导线下委托")
    assert case.outcome == "case_opened" and case.instance_id is not None
    assert review_queue.review_queue(session, supervisor) == []
    [warning] = supervision.warnings_for(session, people["lawyer"].id)
    assert (warning.id, warning.kind, warning.answer_id) == (case.warning_id, "warn", None)
    assert session.get(AnswerReview, case.id).instance_id == warning.instance_id
    with pytest.raises(TaskConflict):
        review_queue.open_case(session, supervisor, flagged.id, "再次审查")


def test_open_case_can_disqualify(session, people, supervisor, queue_data):
    flagged, _ = queue_data
    review_queue.open_case(session, supervisor, flagged.id, "屡次招揽", action="disqualify")
    assert supervision.lawyer_status(session, people["lawyer"].id) == "disqualified"


def test_only_supervisors_review_and_reason_required(session, people, supervisor, queue_data):
    flagged, _ = queue_data
    for role in ("duty_officer", "lawyer", "admin"):
        with pytest.raises(NotAllowed):
            review_queue.review_queue(session, people[role])
        with pytest.raises(NotAllowed):
            review_queue.dismiss_flag(session, people[role], flagged.id, "x")
    with pytest.raises(InvalidInput) as err:
        review_queue.open_case(session, supervisor, flagged.id, "  ")
    assert list(err.value.fields) == ["reason"]
    assert len(review_queue.review_queue(session, supervisor)) == 2


def test_a_citizen_files_a_complaint_with_a_reason(session, people, supervisor, queue_data):
    from engine.consultation import complaints

    row_id = queue_data[0].consultation_id
    with pytest.raises(InvalidInput) as err:
        complaints.file_complaint(session, people["citizen"], row_id, "bad", "")
    assert sorted(err.value.fields) == ["reason", "text"]
    with pytest.raises(NotAllowed):
        complaints.file_complaint(session, people["lawyer"], row_id, "other", "x")
    filed = complaints.file_complaint(session, people["citizen"], row_id, "attitude", "不耐烦")
    items = review_queue.review_queue(session, supervisor)
    assert ("complaint", filed.id, "attitude") in [(i.kind, i.id, i.reason) for i in items]
