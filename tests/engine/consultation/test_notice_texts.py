"""What a notice says about a deadline comes from the diagram's duration, in words people use,
and every text keeps its template for the reader's language."""
from datetime import timedelta

import pytest

from engine.consultation.notice_texts import (
    CLOSE_DEADLINE_OF,
    CLOSE_REASONS,
    DEADLINE_OF,
    TEXTS,
    close_reason,
    render,
    within,
)
from engine.errors import Message


@pytest.mark.parametrize(("deadline", "said"), [
    (timedelta(hours=5), " 5 小时内"), (timedelta(minutes=90), " 1.5 小时内"),
    (timedelta(hours=36), " 36 小时内"), (timedelta(days=7), " 7 日内"),
    (timedelta(days=1), " 1 日内"), (None, "规定时限内")])
def test_a_deadline_is_said_in_hours_or_whole_days(deadline, said):
    assert within(deadline) == said


def test_the_close_reason_states_the_feedback_window_it_is_given():
    assert (close_reason("no_feedback", timedelta(days=10))
            == "您在 10 日内未作评价，咨询已自动办结。")
    assert close_reason("no_feedback") == "您在规定时限内未作评价，咨询已自动办结。"
    assert close_reason("satisfied") == "感谢您的评价。"
    assert close_reason("专家组另行答复") == "专家组另行答复"  # the diagram's own words


def test_every_text_is_a_template_with_its_values():
    for kind in TEXTS:
        subject, body = render(kind, 7, "拖欠工资", "（起草解答）", timedelta(hours=5))
        assert isinstance(subject, Message) and isinstance(body, Message)
        assert "{" not in subject + body and "拖欠工资" in subject
        assert Message.restored(body.stored()) == body


def test_a_text_that_states_a_deadline_is_told_which_task_sets_it():
    """{within} with no task behind it would say "规定时限内" where the diagram knows better."""
    stating = {kind for kind, texts in TEXTS.items() if "{within}" in "".join(texts)}
    assert stating == set(DEADLINE_OF)
    assert {code for code, text in CLOSE_REASONS.items() if "{within}" in text} == set(
        CLOSE_DEADLINE_OF)
