"""The notification matrix: every user task of the real diagrams tells whoever holds it.

Each walk below is a scenario of this suite replayed through the driver; afterwards every
human task it created is checked against MATRIX: the people told, by a notification that leads
to the task itself, each once. A user task in processes/ missing from the matrix fails.
"""
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from sqlalchemy import select

from engine.models import ACTIVE, HumanTask, Institution, Notification, User
from engine.workflow import task_events
from tests.engine.consultation.scenarios import (
    test_answering as answering,
)
from tests.engine.consultation.scenarios import (
    test_deadlines as deadlines,
)
from tests.engine.consultation.scenarios import (
    test_delegation as delegation,
)
from tests.engine.consultation.scenarios import (
    test_dissatisfaction as dissatisfaction,
)
from tests.engine.consultation.scenarios import (
    test_expert_review as expert,
)
from tests.engine.consultation.scenarios import (
    test_referral as referral,
)
from tests.engine.consultation.scenarios import (
    test_screening_review as screening,
)
from tests.engine.consultation.scenarios import (
    test_solicitation_hold as hold,
)
from tests.factories import PROCESSES

ASSIGNEE, ROLE, CITIZEN = "assignee", "role", "citizen"
# task key -> (who is told, the notification's kind); a later round of answering is announced
# by the step that caused it (the expert's or the supervisor's request to revise).
MATRIX = {
    "answer_consultation": (ASSIGNEE, {"task_assigned", "expert_revise", "answer_withheld"}),
    "draft_answer": (ASSIGNEE, "draft_requested"),            # the colleague drafting
    "review_draft": (ASSIGNEE, "draft_ready"),                # the lawyer
    "review_screening": (ROLE, "screening_needed"),           # every duty officer
    "assign_manually": (ROLE, "escalation"),                  # every duty officer
    "handle_overdue": (ROLE, "escalation"),                   # every duty officer
    "review_refusal": (ROLE, "refusal_review"),               # every duty officer
    "release_answer": (ROLE, "answer_held"),                  # every supervisor
    "handle_sensitive": (ROLE, "sensitive_case"),             # every duty officer
    "handle_attention": (ROLE, "attention_case"),             # every duty officer
    "callback_citizen": (ROLE, "callback_needed"),            # every duty officer
    "assign_expert": (ROLE, "expert_needed"),                 # every duty officer
    "expert_review": (ASSIGNEE, "expert_review"),             # the expert chosen
    "arrange_referral": (ROLE, "referral_requested"),         # every duty officer
    "accept_referral": (ROLE, "referral_offered"),            # the offered institution's members
    "reassign_referral": (ROLE, "referral_declined"),         # every duty officer
    "record_agreement": (ROLE, "agreement_needed"),           # the accepting institution's members
    "rate_answer": (CITIZEN, {"answer_published"}),             # the citizen, about the answer
}
WALKS = {
    "delegation": (delegation.test_colleague_drafts_lawyer_revises_once_then_approves,
                   {"answer_consultation", "draft_answer", "review_draft", "rate_answer"}),
    "screening": (screening.test_accepted_by_the_duty_officer_it_goes_to_a_lawyer,
                  {"review_screening"}),
    "no_lawyer": (answering.test_no_lawyer_available_keeps_the_question_for_the_duty_officer,
                  {"assign_manually"}),
    "overdue": (deadlines.test_reminder_at_4h_escalation_at_5h_and_a_fresh_5h_for_the_next_lawyer,
                {"handle_overdue"}),
    "refusal": (answering.test_lawyer_refuses_with_guidance, {"review_refusal"}),
    "held": (hold.test_kept_text_waits_for_a_supervisor_and_then_reaches_the_citizen,
             {"release_answer"}),
    "flags": (expert.test_sensitive_and_attention_reports_run_beside_the_citizen,
              {"handle_sensitive", "handle_attention"}),
    "callback": (dissatisfaction.test_dissatisfied_callback_another_lawyer_then_satisfied,
                 {"callback_citizen"}),
    "expert": (expert.test_expert_asks_the_lawyer_to_revise, {"assign_expert", "expert_review"}),
    "referral": (referral.test_declined_then_another_institution_accepts,
                 {"arrange_referral", "accept_referral", "reassign_referral"}),
    "agreement": (referral.test_the_answering_lawyers_institution_accepts, {"record_agreement"}),
}
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def diagram_user_tasks() -> set[str]:
    keys = set()
    for path in PROCESSES.glob("*.bpmn"):
        keys |= {t.get("id") for t in ET.parse(path).iter(f"{BPMN}userTask")}
    return keys


def test_every_user_task_of_the_diagrams_is_in_the_matrix_and_walked():
    assert set(MATRIX) == diagram_user_tasks()
    walked = set().union(*(keys for _, keys in WALKS.values()))
    assert walked == set(MATRIX)


def _expected(session, h: HumanTask) -> list[int]:
    rule = MATRIX[h.bpmn_id][0]
    if rule in (ASSIGNEE, CITIZEN):
        return [h.assignee_id]
    query = (select(User.id).outerjoin(Institution, Institution.id == User.institution_id)
             .where(User.role == h.role, User.status == ACTIVE,
                    Institution.active.is_not(False)))
    if h.institution_id is not None:
        query = query.where(User.institution_id == h.institution_id)
    return sorted(session.scalars(query))


@pytest.fixture
def created():
    """Every new human_task row as the runtime reported it (due_at as it was at creation)."""
    seen: list[dict] = []

    def listen(_session, rows):
        seen.extend(rows)
    task_events.on_created(listen)
    yield seen
    task_events.off(listen)


@pytest.mark.parametrize("walk", sorted(WALKS))
def test_whoever_holds_a_new_task_is_told_once_with_a_link_to_it(play, world, walk, created):
    run, keys = WALKS[walk]
    run(play, world)
    # Every user task of the diagrams has a deadline, and its row carries it from the start
    # (the inbox and the task page show it).
    assert keys <= {row["bpmn_id"] for row in created}
    assert [row["bpmn_id"] for row in created if row["due_at"] is None] == []
    with play.Session() as s:
        created = s.scalars(select(HumanTask).order_by(HumanTask.created_at)).all()
        notes = s.scalars(select(Notification)).all()
        assert keys <= {h.bpmn_id for h in created}
        for h in created:
            rule, kind = MATRIX[h.bpmn_id]
            told = [n for n in notes if n.link == f"/tasks/{h.id}"]
            if rule == CITIZEN:  # the citizen's answer notice leads to their consultation
                assert told == []
                assert any(n.user_id == h.assignee_id and n.kind in kind
                           and n.business_key == h.business_key for n in notes)
                continue
            expected = _expected(s, h)
            assert expected, h.bpmn_id
            assert sorted(n.user_id for n in told) == expected, h.bpmn_id
            assert {n.kind for n in told} <= (kind if isinstance(kind, set) else {kind})
            assert max(Counter(n.user_id for n in told).values()) == 1


def test_the_lawyers_notice_states_the_diagrams_answer_deadline(play, world):
    cid = play.submit()
    task = play.task("wang", "answer_consultation", cid)
    [note] = play.notices("wang", cid)
    assert note.kind == "task_assigned" and "请在 5 小时内解答" in note.body
    assert note.link == f"/tasks/{task.id}" and "公司拖欠工资" in note.subject


def test_a_task_whose_reminder_fired_still_shows_its_deadline_passed(play, world):
    cid = play.submit(question=screening.CONCLUDED)
    task = play.task("duty1", "review_screening", cid)
    assert task.due_at is not None
    play.later(hours=2, minutes=1)  # the reminder fires; the task waits on, now overdue
    again = play.task("duty1", "review_screening", cid)
    assert again.due_at == task.due_at
