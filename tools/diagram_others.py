"""The expert review (`expert_review_process`) and offline engagement (`referral`)
processes."""
# Diagram scripts are kept verbatim, one statement per line, as they appear in the XML.
# ruff: noqa: E501
from __future__ import annotations

from bpmn_layout import Diagram, Field
from diagram_forms import DUTY, EXPERT, LAWYER, TEXT, text, user_id


def build_expert_review() -> Diagram:
    d = Diagram("expert_review_process", "专家组审阅", [(DUTY, 1), (EXPERT, 2)], documentation=(
        "值班人员联系专家组，专家24小时内审阅。超时为中断式：记录超时后退回值班人员，"
        "由其改派（或再次指派同一专家），专家数量少，值班人员需要掌握进度。"))
    d.start("start", "开始审阅", 0, DUTY)
    d.script("mark_expert_review", "标记专家审阅", 1, DUTY,
             script='set_status(consultation_id, "expert_review")')
    d.xor("gw_assign_merge", "", 2, DUTY)
    d.user("assign_expert", "指派专家", 3, DUTY, groups="duty_officer",
           form=[user_id("expert_id", "专家组成员", required=True)])
    d.script("check_expert", "核验专家", 4, DUTY,
             script='check_assignee(expert_id, "expert", [], "expert_id")')
    d.user("expert_review", "专家审阅", 5, EXPERT, assignee="${expert_id}", form=[
        text("answer_text", "律师解答意见", readonly=True),
        Field("expert_decision", "enum", "审阅意见", required=True, values=[
            ("approve", "同意律师解答"), ("revise", "退回律师修改"), ("replace", "专家直接解答")]),
        text("expert_comment", "修改意见和补充建议"),
        text("expert_answer_text", "专家解答意见", TEXT),
    ])
    d.timer("expert_deadline", "24小时", "expert_review", '"PT24H"', True, 50)
    d.script("record_expert_breach", "记录超时并退回值班人员", 5, EXPERT, 1, script="""
record_breach(consultation_id, "expert_review", expert_id)
notify_role("duty_officer", "escalation", consultation_id)""")
    d.script("check_expert_decision", "核对审阅意见", 6, EXPERT, script="""
require(expert_decision != "replace" or bool(expert_answer_text), "expert_answer_text", "请填写专家解答意见")
require(expert_decision != "revise" or bool(expert_comment), "expert_comment", "请填写修改意见")""")
    d.end("end", "审阅完成", 7, EXPERT)
    d.flow("start", "mark_expert_review")
    d.flow("mark_expert_review", "gw_assign_merge")
    d.flow("gw_assign_merge", "assign_expert")
    d.flow("assign_expert", "check_expert")
    d.flow("check_expert", "expert_review")
    d.flow("expert_deadline", "record_expert_breach")
    d.flow("record_expert_breach", "gw_assign_merge",
           via=[(5, d.y(EXPERT, 1) + 52), (2, d.y(EXPERT, 1) + 52)])
    d.flow("expert_review", "check_expert_decision")
    d.flow("check_expert_decision", "end")
    return d


def build_referral() -> Diagram:
    d = Diagram("referral", "线下委托", [(DUTY, 3), (LAWYER, 2)], documentation=(
        "满意的咨询人主动提出线下委托时，由值班人员统一安排：先请原解答律师所在机构受理，"
        "无法受理的另选机构（至多5家）。受理24小时、签约72小时内完成，超时提醒并记录。"))
    inst = "institution:${institution_id}"
    d.start("start", "申请线下委托", 0, DUTY)
    d.script("mark_referral", "标记线下委托", 1, DUTY, script="""
set_status(consultation_id, "referral")
tried_institutions = []""")
    d.user("arrange_referral", "安排线下委托", 2, DUTY, groups="duty_officer",
           form=[text("arrange_notes", "安排说明")])
    d.script("first_offer", "优先交原解答律师所在机构", 3, LAWYER, script="""
institution_id = institution_of(lawyer_id) or pick_institution(consultation_id, [])
record_referral(consultation_id, "offered", institution_id, None, None, None, None)""")
    d.xor("gw_offer_merge", "", 4, LAWYER)
    d.user("accept_referral", "是否受理委托", 5, LAWYER, groups=inst, form=[
        Field("referral_decision", "enum", "答复", required=True,
              values=[("accept", "受理"), ("decline", "无法受理")]),
        text("decline_reason", "无法受理的原因"),
        user_id("handler_id", "承办人（本机构人员）"),
    ])
    d.timer("accept_deadline", "24小时", "accept_referral", '"PT24H"', False, 50)
    d.script("remind_accept", "提醒机构答复并记录超时", 5, LAWYER, 1, script="""
record_breach(consultation_id, "referral_accept", None)
notify_institution(institution_id, "reminder", consultation_id)""")
    d.end("end_accept_reminded", "已提醒", 6, LAWYER, 1)
    d.script("check_acceptance", "核对答复", 6, LAWYER, script="""
require(referral_decision != "decline" or bool(decline_reason), "decline_reason", "请填写无法受理的原因")
require(referral_decision != "accept" or bool(handler_id), "handler_id", "请指定承办人")
check_member(handler_id, institution_id, "handler_id")""")
    d.xor("gw_accept", "是否受理?", 7, LAWYER)
    d.script("record_decline", "登记无法受理", 8, DUTY, 1, script="""
record_referral(consultation_id, "declined", institution_id, None, decline_reason, None, None)
tried_institutions = tried_institutions + [institution_id]""")
    d.xor("gw_tries", "已联系5家机构?", 9, DUTY, 1)
    d.script("referral_failed", "告知咨询人未能安排", 10, DUTY, 2, script="""
record_referral(consultation_id, "failed", None, None, None, None, None)
notify(citizen_id, "referral_update", consultation_id)""")
    d.end("end_failed", "未能安排", 11, DUTY, 2)
    d.user("reassign_referral", "另选驻场机构", 10, DUTY, 1, groups="duty_officer", form=[
        Field("next_institution_id", "long", "接洽机构（留空则自动选择）", min=1),
        text("reassign_notes", "说明"),
    ])
    d.script("next_offer", "选定下一家机构", 11, DUTY, 1, script="""
require(next_institution_id not in tried_institutions, "next_institution_id", "该机构已表示无法受理")
institution_id = next_institution_id if next_institution_id else find_institution(consultation_id, tried_institutions)""")
    d.xor("gw_offer_found", "还有可接洽的机构?", 12, DUTY, 1)
    d.script("offer_next", "交下一家机构", 13, DUTY, 1, script=(
        'record_referral(consultation_id, "offered", institution_id, None, None, None, None)'))
    # every qualified institution has declined: end the referral instead of stalling
    d.script("referral_exhausted", "告知咨询人未能安排", 12, DUTY, 2, script="""
record_referral(consultation_id, "failed", None, None, None, None, None)
notify(citizen_id, "referral_update", consultation_id)""")
    d.end("end_exhausted", "未能安排", 13, DUTY, 2)
    d.script("record_acceptance", "登记受理", 8, LAWYER, script=(
        'record_referral(consultation_id, "accepted", institution_id, handler_id, None, None, None)'))
    d.user("record_agreement", "登记委托协议", 9, LAWYER, groups=inst, form=[
        Field("agreement_no", "string", "协议编号", required=True, maxlength=64),
        Field("signed_on", "date", "签订日期", required=True),
    ])
    d.timer("agreement_deadline", "72小时", "record_agreement", '"PT72H"', False, 50)
    d.script("remind_agreement", "提醒签约并记录超时", 9, LAWYER, 1, script="""
record_breach(consultation_id, "referral_agreement", handler_id)
notify_institution(institution_id, "reminder", consultation_id)""")
    d.end("end_agreement_reminded", "已提醒", 10, LAWYER, 1)
    d.script("record_agreed", "登记协议并告知咨询人", 10, LAWYER, script="""
record_referral(consultation_id, "agreed", institution_id, handler_id, None, agreement_no, signed_on)
notify(citizen_id, "referral_update", consultation_id)""")
    d.end("end_agreed", "已签订委托协议", 11, LAWYER)
    d.flow("start", "mark_referral")
    d.flow("mark_referral", "arrange_referral")
    d.flow("arrange_referral", "first_offer")
    d.flow("first_offer", "gw_offer_merge")
    d.flow("gw_offer_merge", "accept_referral")
    d.flow("accept_deadline", "remind_accept")
    d.flow("remind_accept", "end_accept_reminded")
    d.flow("accept_referral", "check_acceptance")
    d.flow("check_acceptance", "gw_accept")
    d.flow("gw_accept", "record_decline", "无法受理", 'referral_decision == "decline"')
    d.flow("gw_accept", "record_acceptance", "受理", default=True)
    d.flow("record_decline", "gw_tries")
    d.flow("gw_tries", "referral_failed", "是", "len(tried_institutions) >= 5")
    d.flow("gw_tries", "reassign_referral", "否", default=True)
    d.flow("referral_failed", "end_failed")
    d.flow("reassign_referral", "next_offer")
    d.flow("next_offer", "gw_offer_found")
    d.flow("gw_offer_found", "referral_exhausted", "无", "institution_id is None")
    d.flow("gw_offer_found", "offer_next", "有", default=True)
    d.flow("referral_exhausted", "end_exhausted")
    d.flow("offer_next", "gw_offer_merge", via=[(13, (DUTY, 0)), (4, (DUTY, 0))])
    d.flow("record_acceptance", "record_agreement")
    d.flow("agreement_deadline", "remind_agreement")
    d.flow("remind_agreement", "end_agreement_reminded")
    d.flow("record_agreement", "record_agreed")
    d.flow("record_agreed", "end_agreed")
    return d
