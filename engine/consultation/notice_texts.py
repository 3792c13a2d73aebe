"""What each kind of notification says: Chinese templates, in the translation catalogue too (a
notice is stored with its template and values, engine.notifications.outbox.localized)."""
from datetime import timedelta

from engine.errors import N_, Message
from engine.workflow.process_facts import hours

DAY = timedelta(days=1)

# kind -> (subject, body); {title}, {id}, {reason} and {within} (the deadline of the task
# DEADLINE_OF names, read from the consultation's diagram, e.g. " 5 小时内") are filled in.
TEXTS: dict[str, tuple[str, str]] = {
    "task_assigned": (N_("新的法律咨询待解答：{title}"),
                      N_("您有一条新的法律咨询留言（编号 {id}），请在{within}解答。")),
    "reminder": (N_("办理期限即将届满：{title}"),
                 N_("咨询（编号 {id}）的办理期限即将届满，请尽快处理。")),
    "escalation": (N_("咨询已超过办理期限：{title}"),
                   N_("咨询（编号 {id}）未在规定期限内办理，请值班人员及时处理、重新安排。")),
    "answer_published": (N_("您的咨询已有答复：{title}"),
                         N_("您的咨询（编号 {id}）已有答复，请登录查看，并告诉我们是否满意。")),
    "callback_needed": (N_("咨询人不满意，请回访：{title}"),
                        N_("咨询人对咨询（编号 {id}）的答复不满意，请在{within}回访，"
                           "并安排其他驻场律师再次解答。")),
    "sensitive_case": (N_("敏感案事件报告：{title}"),
                       N_("驻场律师报告咨询（编号 {id}）属于敏感案事件，请按敏感案事件处理。")),
    "attention_case": (N_("提请关注：{title}"),
                       N_("驻场律师提请值班人员关注咨询（编号 {id}），"
                          "可能涉及老年人、未成年人等人身安全或合法权益。")),
    "expert_review": (N_("请专家组审阅：{title}"),
                      N_("咨询（编号 {id}）需要专家组审阅答复意见。")),
    "expert_revise": (N_("专家组退回修改：{title}"),
                      N_("专家组审阅了您对咨询（编号 {id}）的解答并提出修改意见，"
                         "请在解答期限内修改后发布。")),
    "answer_withheld": (N_("解答未予发布，请修改：{title}"),
                        N_("您对咨询（编号 {id}）的解答含有联系方式或招揽用语，"
                           "网络监督人员未予发布，请修改后重新发布。{reason}")),
    "referral_update": (N_("线下委托有新进展：{title}"),
                        N_("咨询（编号 {id}）的线下法律服务委托有新的进展，请登录查看。{reason}")),
    "rejected": (N_("您的咨询不予受理：{title}"), N_("{reason}")),
    "closed": (N_("咨询已办结：{title}"), N_("您的咨询（编号 {id}）已办结。{reason}")),
    # Told to whoever holds a newly ready user task (engine.consultation.task_notices).
    "draft_requested": (N_("请起草解答：{title}"),
                        N_("驻场律师请您为咨询（编号 {id}）起草解答，请及时提交草稿。{reason}")),
    "draft_ready": (N_("草稿待审核：{title}"),
                    N_("咨询（编号 {id}）的解答草稿已提交，请审核后发布或退回修改。{reason}")),
    "screening_needed": (N_("请人工筛查：{title}"),
                         N_("咨询（编号 {id}）需要人工筛查，请决定是否受理。{reason}")),
    "refusal_review": (N_("请审核不予解答意见：{title}"),
                       N_("驻场律师对咨询（编号 {id}）提出不予解答，请审核。{reason}")),
    "answer_held": (N_("解答待审核发布：{title}"),
                    N_("咨询（编号 {id}）的解答含有疑似联系方式或招揽用语，已暂缓发布，"
                       "请审核后发布或退回修改。{reason}")),
    "expert_needed": (N_("请指派专家：{title}"),
                      N_("咨询（编号 {id}）需要专家组审阅，请指派专家。{reason}")),
    "referral_requested": (N_("请安排线下委托：{title}"),
                           N_("咨询（编号 {id}）的咨询人希望委托线下法律服务，"
                              "请安排驻场机构。{reason}")),
    "referral_offered": (N_("线下委托邀请：{title}"),
                         N_("咨询（编号 {id}）的咨询人希望委托线下法律服务，"
                            "请确认贵机构是否受理。{reason}")),
    "referral_declined": (N_("请另选驻场机构：{title}"),
                          N_("驻场机构无法受理咨询（编号 {id}）的线下委托，"
                             "请另选驻场机构。{reason}")),
    "agreement_needed": (N_("请登记委托协议：{title}"),
                         N_("贵机构已受理咨询（编号 {id}）的线下委托，"
                            "签约后请登记委托协议。{reason}")),
    "task_waiting": (N_("新的待办任务：{title}"),
                     N_("咨询（编号 {id}）有一项新的待办任务，请及时处理。{reason}")),
}
# The notice a newly ready user task sends its holder, by task key (anything else:
# "task_waiting"). Several keys share a text a diagram step already sends about the same
# event (e.g. "escalation"): the holder is told once, by the first of the two.
TASK_NOTICES: dict[str, str] = {
    "answer_consultation": "task_assigned",
    "draft_answer": "draft_requested",
    "review_draft": "draft_ready",
    "review_screening": "screening_needed",
    "assign_manually": "escalation",
    "handle_overdue": "escalation",
    "review_refusal": "refusal_review",
    "release_answer": "answer_held",
    "handle_sensitive": "sensitive_case",
    "handle_attention": "attention_case",
    "callback_citizen": "callback_needed",
    "assign_expert": "expert_needed",
    "expert_review": "expert_review",
    "arrange_referral": "referral_requested",
    "accept_referral": "referral_offered",
    "reassign_referral": "referral_declined",
    "record_agreement": "agreement_needed",
}
# close_consultation(id, reason): diagrams pass a reason code; anything else is shown as is.
CLOSE_REASONS: dict[str, str] = {
    "satisfied": N_("感谢您的评价。"),
    "no_feedback": N_("您在{within}未作评价，咨询已自动办结。"),
    "refused": N_("驻场律师已告知不予解答的理由及求助途径，请查看答复。"),
    "expert_closed": N_("专家组已审阅并作出答复，本次咨询办结。"),
    "round_limit": N_("本次咨询已转网络监督人员跟进。"),
}
FALLBACK = (N_("咨询有新的动态：{title}"), N_("咨询（编号 {id}）有新的动态，请登录查看。{reason}"))

# The task whose deadline (read from the consultation's diagram) a notice's text, or a close
# reason, states as {within}.
DEADLINE_OF: dict[str, str] = {"task_assigned": "answer_consultation",
                               "callback_needed": "callback_citizen"}
CLOSE_DEADLINE_OF: dict[str, str] = {"no_feedback": "rate_answer"}

WITHIN, WITHIN_DAYS, WITHIN_UNKNOWN = N_(" {hours} 小时内"), N_(" {days} 日内"), N_("规定时限内")


def deadline_task(kind: str) -> str | None:
    """The task whose deadline the text of `kind` states, if it states one."""
    return DEADLINE_OF.get(kind)


def within(deadline: timedelta | None) -> str:
    """A deadline as a text says it: " 5 小时内", " 7 日内" (whole days), or "规定时限内" when
    only the running instance knows it."""
    if deadline is None:
        return WITHIN_UNKNOWN
    if deadline >= DAY and deadline % DAY == timedelta(0):
        return Message(WITHIN_DAYS, days=deadline // DAY)
    return Message(WITHIN, hours=hours(deadline))


def render(kind: str, consultation_id: int, title: str, reason: str = "",
           deadline: timedelta | None = None) -> tuple[Message, Message]:
    """The subject and body of one notification, as messages each reader reads in their own
    language; `deadline` is the one the text states (`deadline_task`) as the consultation's
    process version sets it (None: the diagram computes it at run time)."""
    subject, body = TEXTS.get(kind, FALLBACK)
    values = {"title": title, "id": consultation_id, "reason": reason or "",
              "within": within(deadline)}
    return (Message(subject, **_used(subject, values)), Message(body, **_used(body, values)))


def close_reason(code: str, deadline: timedelta | None = None) -> str:
    """What the citizen is told about why their consultation closed: the text of a reason
    code (stating `deadline`, the deadline of CLOSE_DEADLINE_OF's task, where it says one), or
    the diagram's own words."""
    text = CLOSE_REASONS.get(code)
    if text is None:
        return code or ""
    return Message(text, within=within(deadline)) if "{within}" in text else text


def _used(template: str, values: dict) -> dict:
    """The values a template names (a stored notice keeps only what it says)."""
    return {name: value for name, value in values.items() if f"{{{name}}}" in template}


def task_link(task_id: str) -> str:
    """Where a notification about a task leads: the task itself."""
    return f"/tasks/{task_id}"


def link(consultation_id: int) -> str:
    """Where a notification about a consultation leads."""
    return f"/consultations/{consultation_id}"
