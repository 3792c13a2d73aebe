"""What the citizen is told about where their consultation is, from the steps open on it."""
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from engine.consultation.status import Status

# The first open step (in this order) decides the message; steps not listed say nothing here
# (the rating form and the offline-engagement section speak for themselves).
STEP_MESSAGES = (
    ("review_screening", _l("您的咨询正在审核，受理后将交律师解答。")),
    ("assign_manually", _l("正在为您安排解答律师，安排好后律师将在答复时限内答复。")),
    ("handle_overdue", _l("律师未能按时答复，值班人员正在另行安排律师，答复后我们会通知您。")),
    ("review_refusal",
     _l("律师认为您的问题不属于网上解答的范围，值班人员正在审核，审核后会告知您结果。")),
    ("release_answer", _l("律师的答复正在由网络监督人员审核，审核通过后将在这里发布。")),
    ("assign_expert", _l("您的咨询已提请专家组审阅，审阅后的答复将在这里发布。")),
    ("expert_review", _l("您的咨询已提请专家组审阅，审阅后的答复将在这里发布。")),
    ("callback_citizen", _l("值班人员将回访您，了解您不满意的原因并安排后续处理。")),
)
QUIET = {"rate_answer", "arrange_referral", "accept_referral", "reassign_referral",
         "record_agreement"}
ANSWERING = {"answer_consultation", "draft_answer", "review_draft"}


def stage_message(status: str, open_steps: tuple, answered_before: bool,
                  answer_hours: float | None) -> str | None:
    """One true sentence on what happens next, or None when the page already says it."""
    for step, message in STEP_MESSAGES:
        if step in open_steps:
            return str(message)
    if QUIET & set(open_steps) or status in (Status.REJECTED, Status.CLOSED):
        return None
    if ANSWERING & set(open_steps) or status in (Status.SUBMITTED, Status.ASSIGNED,
                                                 Status.ANSWERING):
        if answered_before:
            return str(_l("已安排律师重新解答，答复后我们会通知您。"))
        if answer_hours:
            return ngettext("律师将在 %(num)s 小时内答复，答复后我们会通知您。",
                            "律师将在 %(num)s 小时内答复，答复后我们会通知您。", answer_hours)
        return str(_l("律师将在规定时限内答复，答复后我们会通知您。"))
    return None
