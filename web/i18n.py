"""Locale choice: an API caller's saved locale; on pages the session's pick, else the
signed-in user's saved locale; else Simplified Chinese."""
from flask import Flask, current_app, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.consultation.status import Status
from engine.people.roles import ROLES

from .diagram_words import kind_label, property_label
from .extensions import babel

# English names of the roles; the Chinese labels come from engine.roles.
ROLE_LABELS_EN = {
    "citizen": "Citizen", "lawyer": "Resident lawyer", "staff": "Institution staff",
    "duty_officer": "Duty officer", "expert": "Expert panel member",
    "supervisor": "Network supervisor", "designer": "Process designer", "admin": "Administrator",
}


def select_locale() -> str:
    """The language of this request (zh or en). An API caller's is their saved language
    (`g.account`, once their token was checked): a token is not a browser, and no cookie
    speaks for it. A page's is the session's pick, else the signed-in user's saved one."""
    languages = current_app.config["LANGUAGES"]
    if "account" in g:
        chosen = g.account.get("locale")
    else:
        chosen = session.get("lang")
        if chosen not in languages and getattr(current_user, "is_authenticated", False):
            chosen = current_user.locale
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def role_label(role: str, locale: str | None = None) -> str:
    """The role's label in `locale` when it is one of ours, else in the request's language."""
    if locale not in current_app.config["LANGUAGES"]:
        locale = select_locale()
    return ROLES.get(role, role) if locale == "zh" else ROLE_LABELS_EN.get(role, role)


# Every consultation status (engine.consultation.status) and its label, in the enum's order.
STATUS_LABELS = {
    Status.SUBMITTED: _l("已提交"), Status.SCREENING: _l("审核中"),
    Status.ASSIGNED: _l("待律师答复"), Status.ANSWERING: _l("律师答复中"),
    Status.EXPERT_REVIEW: _l("专家组审核中"), Status.ANSWERED: _l("已答复"),
    Status.REFUSED: _l("律师已说明不予解答"), Status.CALLBACK: _l("值班人员回访中"),
    Status.REFERRAL: _l("线下委托安排中"), Status.REJECTED: _l("不予受理"),
    Status.CLOSED: _l("已结束"),
}
# Timeline entries (engine audit actions) as a citizen or a colleague reads them.
EVENT_LABELS = {
    "consultation_submitted": _l("提交咨询"), "consultation_rejected": _l("不予受理"),
    "lawyer_assigned": _l("已分配律师"), "answer_published": _l("答复已发布"),
    "feedback_recorded": _l("已评价"), "consultation_closed": _l("咨询结束"),
    "referral_updated": _l("线下委托进展"), "complete": _l("完成任务"),
    "claim": _l("领取任务"), "release": _l("放回任务"), "status_changed": _l("状态变更"),
    "sla_breach": _l("超时"), "answer_flagged": _l("答复被标记待审查"),
    "flags_marked": _l("标记敏感或需关注"), "answer_released": _l("监督员准予发布"),
    "answer_withheld": _l("监督员退回修改"), "lawyer_warned": _l("律师被警告"),
    "lawyer_disqualified": _l("律师被取消资格"), "lawyer_reinstated": _l("律师恢复资格"),
    "complaint_filed": _l("咨询人投诉"), "reassign": _l("改派任务"),
    "task_queued": _l("任务放回待领取"), "start": _l("流程启动"), "migrate": _l("迁移到新版本"),
    "rollback": _l("回退迁移"), "deploy": _l("部署流程"), "save_draft": _l("保存流程草稿"),
    "discard_draft": _l("删除流程草稿"), "timer_fired": _l("定时器触发"),
    "timer_failed": _l("定时器出错"), "incident": _l("流程故障"),
    "incident_retry": _l("重试故障"), "review_dismissed": _l("审查：无需处理"),
    "review_case_opened": _l("审查：已立案处理"),
}


def status_label(status: str) -> str:
    """A consultation status as the citizen reads it (unknown ones shown as-is)."""
    return str(STATUS_LABELS.get(status, status))


def event_label(event: str) -> str:
    """An audit action as a person reads it; an unknown one is named as an event, not a key."""
    label = EVENT_LABELS.get(event)
    return str(label) if label is not None else str(_l("其他事件"))


COMPLAINT_REASONS = {"attitude": _l("态度恶劣、敷衍了事"),
                     "solicitation": _l("私下招揽业务或索要联系方式"),
                     "misconduct": _l("其他违反法网规则的行为"), "other": _l("其他")}


def complaint_reason_label(reason: str) -> str:
    """A complaint's reason in the current language."""
    return str(COMPLAINT_REASONS.get(reason, reason))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(role_label=role_label, current_locale=select_locale,
                                 status_label=status_label, event_label=event_label,
                                 Status=Status,
                                 complaint_reason_label=complaint_reason_label,
                                 kind_label=kind_label, property_label=property_label)
