"""Lanes, limits and the user-task forms shared by the generated diagrams."""
# Diagram scripts are kept verbatim, one statement per line, as they appear in the XML.
# ruff: noqa: E501
from __future__ import annotations

from bpmn_layout import Field

CITIZEN, LAWYER, STAFF, DUTY, EXPERT = "咨询人", "驻场律师", "驻场机构人员", "值班人员", "专家组成员"
NOTES = 2000
TEXT = 5000

CATEGORIES = [("family", "婚姻家庭"), ("labor", "劳动争议"), ("contract", "合同纠纷"),
              ("property", "房产物业"), ("traffic", "交通事故"), ("criminal", "刑事"),
              ("administrative", "行政"), ("other", "其他")]
CASE_STATUS = [("none", "未进入任何程序"), ("petition", "一般信访事项"),
               ("in_litigation", "正在诉讼中"),
               ("being_handled", "司法机关或行政执法机关正在办理"),
               ("concluded", "案件已办结生效")]


def text(id, label, maxlength=NOTES, required=False, multiline=True, readonly=False):
    return Field(id, "string", label, required=required, maxlength=None if readonly else maxlength,
                 multiline=multiline, readonly=readonly)


def user_id(id, label, required=False):
    return Field(id, "long", label, required=required, min=1)


START_FORM = [
    Field("title", "string", "标题", required=True, maxlength=200),
    text("question", "咨询内容", TEXT, required=True),
    Field("category", "enum", "问题类别", required=True, values=CATEGORIES),
    Field("case_status", "enum", "案件所处阶段", required=True, values=CASE_STATUS),
    Field("vulnerable", "boolean", "涉及未成年人、老年人或人身安全"),
    Field("contact_phone", "string", "联系电话", required=True, minlength=5, maxlength=20),
    Field("district", "string", "所在区", maxlength=50),
]
ANSWER_FORM = [
    text("expert_comment", "专家组修改意见", readonly=True),
    Field("decision", "enum", "处理方式", required=True, values=[
        ("answer", "解答"), ("refuse", "不予解答（告知求助途径）"),
        ("delegate", "安排本机构人员起草"), ("expert_review", "提请专家组审阅")]),
    text("answer_text", "解答意见", TEXT),
    text("refuse_reason", "不予解答的理由及求助途径"),
    user_id("delegate_to", "起草人（本机构同事）"),
    Field("sensitive", "boolean", "敏感案事件，请值班人员按敏感案事件处理"),
    Field("attention", "boolean", "需提请值班人员关注"),
]
DRAFT_FORM = [
    text("review_comment", "律师修改意见", readonly=True),
    text("draft_text", "解答草稿", TEXT, required=True),
]
REVIEW_FORM = [
    text("draft_text", "解答草稿", readonly=True),
    Field("draft_decision", "enum", "审核结果", required=True,
          values=[("approve", "认可，以本人名义发布"), ("revise", "退回修改")]),
    text("review_comment", "修改意见"),
]
OVERDUE_FORM = [
    user_id("next_lawyer_id", "接手律师（留空则自动分配）"),
    text("overdue_notes", "处理说明"),
]
RATE_FORM = [
    Field("satisfied", "boolean", "对解答满意"),
    text("feedback_comment", "评价意见"),
    Field("wants_referral", "boolean", "希望通过北京法网与解答律师（机构）签订线下委托"),
]
MANUAL_FORM = [
    user_id("next_lawyer_id", "接手律师", required=True),
    text("assign_notes", "说明"),
]
CALLBACK_FORM = [
    text("callback_notes", "回访记录", required=True),
    user_id("next_lawyer_id", "重新解答的律师（留空则自动分配）"),
]
