"""The consultation process (process id `consultation`), drawn on the layout grid."""
# Diagram scripts are kept verbatim, one statement per line, as they appear in the XML.
# ruff: noqa: E501
from __future__ import annotations

import diagram_forms as forms
from bpmn_layout import ROW_H, Diagram
from diagram_forms import CITIZEN, DUTY, LAWYER, STAFF, text


def build_consultation() -> Diagram:
    d = Diagram("consultation", "法律咨询", [(CITIZEN, 2), (LAWYER, 2), (STAFF, 2), (DUTY, 5)],
                documentation="北京法网法律咨询主流程：筛查、分配、5小时内解答、评价、回访与专家组审阅。")
    dy = d.y
    # --- submit and screening ---------------------------------------------------------
    d.start("start", "提交咨询", 0, CITIZEN, 1, form=forms.START_FORM)
    d.script("init_consultation", "登记咨询", 1, CITIZEN, 1, script="""
answered_by = []
dissatisfied_rounds = 0
stage_rounds = 0
next_lawyer_id = None
set_status(consultation_id, "screening")""")
    d.rule("screen_question", "受理筛查", 2, CITIZEN, 1, decision="screening")
    d.xor("gw_screening", "是否受理?", 3, CITIZEN, 1)
    d.script("reject_question", "告知不予受理及求助途径", 4, CITIZEN, 0,
             script="reject_consultation(consultation_id, screening_reason)")
    d.end("end_rejected", "不予受理", 5, CITIZEN, 0)
    # --- assignment ------------------------------------------------------------------
    d.xor("gw_assign_merge", "", 4, LAWYER, 0)
    d.script("assign", "选派驻场律师", 5, LAWYER, 0, script="""
lawyer_id = next_lawyer_id if next_lawyer_id else find_lawyer(consultation_id, category, answered_by)
next_lawyer_id = None""")
    # Nobody available (all busy, excluded or disqualified): a duty officer assigns by hand,
    # and the citizen's question is kept rather than refused.
    d.xor("gw_lawyer_found", "有可分配的律师?", 6, LAWYER, 0)
    d.script("notify_assigned", "留言通知律师", 7, LAWYER, 0, script="""
assign_lawyer(consultation_id, lawyer_id)
set_status(consultation_id, "assigned")""")
    d.script("notify_unassigned", "通知值班人员人工分配", 6, DUTY, 1,
             script='notify_role("duty_officer", "escalation", consultation_id)')
    d.user("assign_manually", "人工分配律师", 7, DUTY, 1, form=forms.MANUAL_FORM, groups="duty_officer",
           doc="暂无可自动分配的在岗律师时，由值班人员指定接手律师。")
    d.script("prepare_manual", "核验指定律师", 7, DUTY, 2, script=(
        'check_assignee(next_lawyer_id, "lawyer", answered_by, "next_lawyer_id")'))
    d.xor("gw_stage_merge", "", 6, LAWYER, 0)
    d.script("count_round", "计数解答轮次", 7, LAWYER, 0,
             script="stage_rounds = stage_rounds + 1")
    d.xor("gw_round_guard", "解答轮次超限?", 8, LAWYER, 0)
    d.script("close_round_limit", "转网络监督人员并结束", 8, DUTY, 1, script="""
notify_role("supervisor", "attention_case", consultation_id)
close_consultation(consultation_id, "round_limit")""")
    d.end("end_round_limit", "异常结束", 9, DUTY, 1)
    # --- the 5-hour answer stage ------------------------------------------------------
    sub = d.subprocess("answer_stage", "解答阶段（5小时内）", (9, 23), LAWYER,
                       ((LAWYER, 0), (STAFF, 1)), doc=(
                           "5小时时限覆盖整个解答阶段（含安排同事起草）。4小时提醒律师；"
                           "5小时未完成则中断本阶段，记录超时并交值班人员改派。"))
    # The subprocess element is deliberately in no lane: SpiffWorkflow hands the lane of an
    # embedded subprocess down to every task inside it, overriding their own lanes.
    sub.attrs["_no_lane"] = True
    p = "answer_stage"
    d.start("stage_start", "开始解答", 9, LAWYER, 0, parent=p)
    d.script("stage_init", "本轮准备", 10, LAWYER, 0, parent=p, script="""
drafter_id = None
approver_id = None
draft_rounds = 0""")
    d.xor("gw_answer_merge", "", 11, LAWYER, 0, parent=p)
    d.user("answer_consultation", "解答咨询", 12, LAWYER, 0, parent=p, form=forms.ANSWER_FORM,
           assignee="${lawyer_id}",
           doc="驻场律师5小时内解答；涉诉、执法机关正在办理或已办结生效的案件不予解答并告知途径。")
    d.script("check_answer", "核对处理意见", 13, LAWYER, 0, parent=p, script="""
require(decision not in ["answer", "expert_review"] or bool(answer_text), "answer_text", "请填写解答意见")
require(decision != "refuse" or bool(refuse_reason), "refuse_reason", "请写明不予解答的理由及求助途径")
require(decision != "delegate" or bool(delegate_to), "delegate_to", "请指定本机构起草人")""")
    d.xor("gw_decision", "处理方式?", 14, LAWYER, 0, parent=p)
    d.script("check_delegation", "核验起草人", 15, LAWYER, 1, parent=p,
             script="check_delegate(lawyer_id, delegate_to)")
    d.xor("gw_draft_merge", "", 16, STAFF, 0, parent=p)
    d.script("count_draft", "计数起草轮次", 17, STAFF, 0, parent=p,
             script="draft_rounds = draft_rounds + 1")
    d.user("draft_answer", "起草解答", 18, STAFF, 0, parent=p, form=forms.DRAFT_FORM,
           assignee="${delegate_to}", doc="在驻场律师指导下起草，经律师认可后以律师名义发布。")
    d.user("review_draft", "审核草稿", 19, LAWYER, 1, parent=p, form=forms.REVIEW_FORM,
           assignee="${lawyer_id}")
    d.script("check_review", "核对审核意见", 20, LAWYER, 1, parent=p,
             script='require(draft_decision != "revise" or bool(review_comment), '
                    '"review_comment", "请填写修改意见")')
    d.xor("gw_review", "审核结果?", 21, LAWYER, 1, parent=p)
    d.script("accept_draft", "采用草稿", 22, LAWYER, 1, parent=p, script="""
answer_text = draft_text
drafter_id = delegate_to
approver_id = lawyer_id
decision = "answer\"""")
    d.end("stage_end_draft", "草稿已认可", 23, LAWYER, 1, parent=p)
    d.end("stage_end", "已作出处理", 23, LAWYER, 0, parent=p)
    d.flow("stage_start", "stage_init")
    d.flow("stage_init", "gw_answer_merge")
    d.flow("gw_answer_merge", "answer_consultation")
    d.flow("answer_consultation", "check_answer")
    d.flow("check_answer", "gw_decision")
    d.flow("gw_decision", "check_delegation", "安排同事起草", 'decision == "delegate"')
    d.flow("gw_decision", "stage_end", "解答 / 不予解答 / 提请专家组", default=True)
    d.flow("check_delegation", "gw_draft_merge")
    d.flow("gw_draft_merge", "count_draft")
    d.flow("count_draft", "draft_answer")
    d.flow("draft_answer", "review_draft")
    d.flow("review_draft", "check_review")
    d.flow("check_review", "gw_review")
    d.flow("gw_review", "accept_draft", "认可", 'draft_decision == "approve"')
    d.flow("gw_review", "gw_draft_merge", "退回修改", 'draft_decision == "revise" and draft_rounds < 3',
           via=[(21, dy(STAFF, 1) - 10), (16, dy(STAFF, 1) - 10)])
    d.flow("gw_review", "gw_answer_merge", "已退回3次，律师亲自处理", default=True,
           via=[(21, dy(LAWYER, 0) + ROW_H / 2), (11, dy(LAWYER, 0) + ROW_H / 2)])
    d.flow("accept_draft", "stage_end_draft")
    # timers on the stage
    d.timer("stage_reminder", "4小时", p, '"PT4H"', False, 8 * 150 + 65, STAFF)
    d.script("remind_lawyer", "提醒律师尽快解答", 18, DUTY, 0,
             script='notify(lawyer_id, "reminder", consultation_id)')
    d.end("end_reminded", "已提醒", 19, DUTY, 0)
    d.timer("stage_overdue", "5小时", p, '"PT5H"', True, 95, STAFF)
    d.script("record_overdue", "记录超时并通知值班人员", 10, DUTY, 0, script="""
record_breach(consultation_id, "answer", lawyer_id)
notify_role("duty_officer", "escalation", consultation_id)""")
    d.user("handle_overdue", "超时改派", 11, DUTY, 0, form=forms.OVERDUE_FORM, groups="duty_officer")
    d.script("prepare_reassign", "核验接手律师", 12, DUTY, 0, script="""
check_assignee(next_lawyer_id, "lawyer", answered_by + [lawyer_id], "next_lawyer_id")
answered_by = answered_by + [lawyer_id]""")
    # --- after the stage ---------------------------------------------------------------
    d.xor("gw_route", "处理结果?", 24, LAWYER, 0)
    d.script("publish_refusal", "发布不予解答意见", 25, CITIZEN, 0, script="""
publish_answer(consultation_id, "refusal", refuse_reason, lawyer_id, None, None)
close_consultation(consultation_id, "refused")""")
    d.end("end_refused", "已告知求助途径", 26, CITIZEN, 0)
    d.xor("gw_publish_merge", "", 25, LAWYER, 0)
    d.script("publish_lawyer_answer", "发布解答", 26, LAWYER, 0, script=(
        'answer_id = publish_answer(consultation_id, "answer", answer_text, lawyer_id, '
        "drafter_id, approver_id)"))
    d.xor("gw_expert_merge", "", 25, DUTY, 1)
    d.call("call_expert_review", "专家组审阅", 26, DUTY, 1, called="expert_review_process",
           doc="值班人员联系专家组；专家同意、退回修改或直接解答。")
    d.xor("gw_expert", "专家意见?", 27, DUTY, 1)
    d.script("publish_expert_answer", "发布专家解答", 28, DUTY, 1, script=(
        'answer_id = publish_answer(consultation_id, "expert", expert_answer_text, expert_id, '
        "None, None)"))
    d.xor("gw_published", "", 29, LAWYER, 0)
    d.script("after_publish", "通知咨询人查看解答", 30, LAWYER, 0, script="""
set_status(consultation_id, "answered")
new_flags = mark_flags(consultation_id, sensitive, attention)
notify(citizen_id, "answer_published", consultation_id)""")
    d.fork("fork_published", 31, LAWYER, 0)
    # sensitive / needs-attention branches run beside the citizen's feedback
    for row, flag, kind, label in ((0, "sensitive", "sensitive_case", "敏感案事件"),
                                   (1, "attention", "attention_case", "需关注")):
        d.xor(f"gw_{flag}", f"{label}?", 32, DUTY, row)
        d.script(f"notify_{flag}", "通知值班人员", 33, DUTY, row,
                 script=f'notify_role("duty_officer", "{kind}", consultation_id)')
        task = "handle_sensitive" if flag == "sensitive" else "handle_attention"
        d.user(task, "按敏感案事件处理" if flag == "sensitive" else "关注处理", 34, DUTY, row,
               form=[text("handling_notes", "处理情况", required=True)], groups="duty_officer")
        d.xor(f"gw_{flag}_merge", "", 35, DUTY, row)
        d.end(f"end_{flag}", "处理完毕", 36, DUTY, row)
        d.flow("fork_published", f"gw_{flag}")
        # reported once per consultation, even when a later answer is published again
        d.flow(f"gw_{flag}", f"notify_{flag}", "是", f'"{flag}" in new_flags')
        d.flow(f"gw_{flag}", f"gw_{flag}_merge", "否", default=True,
               via=[(32, dy(DUTY, row) - 50), (35, dy(DUTY, row) - 50)])
        d.flow(f"notify_{flag}", task)
        d.flow(task, f"gw_{flag}_merge")
        d.flow(f"gw_{flag}_merge", f"end_{flag}")
    # --- feedback ----------------------------------------------------------------------
    d.user("rate_answer", "评价解答", 32, CITIZEN, 1, form=forms.RATE_FORM, assignee="${citizen_id}")
    d.timer("feedback_timeout", "7日", "rate_answer", '"P7D"', True, 20)
    d.script("close_no_feedback", "7日未评价，办结", 33, LAWYER, 0,
             script='close_consultation(consultation_id, "no_feedback")')
    d.end("end_no_feedback", "已办结", 33, LAWYER, 1)
    d.script("save_feedback", "记录评价", 33, CITIZEN, 1, script=(
        "record_feedback(consultation_id, satisfied, feedback_comment, wants_referral)"))
    d.xor("gw_satisfied", "是否满意?", 34, CITIZEN, 1)
    d.call("call_referral", "线下委托", 35, CITIZEN, 0, called="referral",
           doc="仅在满意的咨询人主动提出时，由值班人员统一安排。")
    d.xor("gw_close_merge", "", 36, CITIZEN, 1)
    d.script("close_satisfied", "办结", 37, CITIZEN, 1,
             script='close_consultation(consultation_id, "satisfied")')
    d.end("end_closed", "已办结", 38, CITIZEN, 1)
    # --- dissatisfaction ----------------------------------------------------------------
    d.script("count_dissatisfied", "登记不满意并通知值班人员", 37, DUTY, 2, script="""
dissatisfied_rounds = dissatisfied_rounds + 1
set_status(consultation_id, "callback")
notify_role("duty_officer", "callback_needed", consultation_id)""")
    d.user("callback_citizen", "回访咨询人", 38, DUTY, 2, form=forms.CALLBACK_FORM,
           groups="duty_officer", doc="2小时内回访不满意的咨询人。")
    d.timer("callback_deadline", "2小时", "callback_citizen", '"PT2H"', False, 50)
    d.script("record_callback_breach", "记录回访超时", 38, DUTY, 3, script="""
record_breach(consultation_id, "callback", None)
notify_role("duty_officer", "escalation", consultation_id)""")
    d.end("end_callback_breach", "已记录", 38, DUTY, 4)
    d.xor("gw_callback", "不满意次数?", 39, DUTY, 2)
    d.script("close_expert_closed", "办结（专家组已审阅）", 40, DUTY, 1,
             script='close_consultation(consultation_id, "expert_closed")')
    d.end("end_expert_closed", "已办结", 41, DUTY, 1)
    d.script("prepare_reanswer", "另派律师重新解答", 40, DUTY, 2, script="""
check_assignee(next_lawyer_id, "lawyer", answered_by + [lawyer_id], "next_lawyer_id")
answered_by = answered_by + [lawyer_id]""")

    low = dy(DUTY, 4)
    d.flow("start", "init_consultation")
    d.flow("init_consultation", "screen_question")
    d.flow("screen_question", "gw_screening")
    d.flow("gw_screening", "reject_question", "不予受理", 'screening == "reject"')
    d.flow("gw_screening", "gw_assign_merge", "受理", default=True)
    d.flow("reject_question", "end_rejected")
    d.flow("gw_assign_merge", "assign")
    d.flow("assign", "gw_lawyer_found")
    d.flow("gw_lawyer_found", "notify_unassigned", "无", "lawyer_id is None")
    d.flow("gw_lawyer_found", "notify_assigned", "有", default=True)
    d.flow("notify_assigned", "gw_stage_merge")
    d.flow("notify_unassigned", "assign_manually")
    d.flow("assign_manually", "prepare_manual")
    d.flow("prepare_manual", "gw_assign_merge", via=[(4, (DUTY, 2))])
    d.flow("gw_stage_merge", "count_round")
    d.flow("count_round", "gw_round_guard")
    d.flow("gw_round_guard", "close_round_limit", "超过10轮", "stage_rounds > 10")
    d.flow("gw_round_guard", "answer_stage", default=True, via="h")
    d.flow("close_round_limit", "end_round_limit")
    d.flow("stage_reminder", "remind_lawyer")
    d.flow("remind_lawyer", "end_reminded")
    d.flow("stage_overdue", "record_overdue")
    d.flow("record_overdue", "handle_overdue")
    d.flow("handle_overdue", "prepare_reassign")
    d.flow("prepare_reassign", "gw_assign_merge", via=[(12, dy(DUTY, 3)), (4, dy(DUTY, 3))])
    d.flow("answer_stage", "gw_route", via="h")
    d.flow("gw_route", "publish_refusal", "不予解答", 'decision == "refuse"')
    d.flow("gw_route", "gw_expert_merge", "提请专家组", 'decision == "expert_review"')
    d.flow("gw_route", "gw_publish_merge", "解答", default=True)
    d.flow("publish_refusal", "end_refused")
    d.flow("gw_publish_merge", "publish_lawyer_answer")
    d.flow("publish_lawyer_answer", "gw_published")
    d.flow("gw_expert_merge", "call_expert_review")
    d.flow("call_expert_review", "gw_expert")
    d.flow("gw_expert", "gw_publish_merge", "同意", 'expert_decision == "approve"',
           via=[(27, (LAWYER, 1)), (25, (LAWYER, 1))])
    d.flow("gw_expert", "publish_expert_answer", "专家解答", 'expert_decision == "replace"')
    d.flow("gw_expert", "gw_stage_merge", "退回律师修改", default=True,
           via=[(27, (DUTY, 2)), (6, (DUTY, 2))])
    d.flow("publish_expert_answer", "gw_published")
    d.flow("gw_published", "after_publish")
    d.flow("after_publish", "fork_published")
    d.flow("fork_published", "rate_answer")
    d.flow("feedback_timeout", "close_no_feedback")
    d.flow("close_no_feedback", "end_no_feedback")
    d.flow("rate_answer", "save_feedback")
    d.flow("save_feedback", "gw_satisfied")
    d.flow("gw_satisfied", "call_referral", "满意并申请线下委托", "satisfied and wants_referral")
    d.flow("gw_satisfied", "count_dissatisfied", "不满意", "not satisfied",
           via=[(34, (LAWYER, 1)), (37, (LAWYER, 1))])
    d.flow("gw_satisfied", "gw_close_merge", "满意", default=True)
    d.flow("call_referral", "gw_close_merge")
    d.flow("gw_close_merge", "close_satisfied")
    d.flow("close_satisfied", "end_closed")
    d.flow("count_dissatisfied", "callback_citizen")
    d.flow("callback_deadline", "record_callback_breach")
    d.flow("record_callback_breach", "end_callback_breach")
    d.flow("callback_citizen", "gw_callback")
    d.flow("gw_callback", "close_expert_closed", "第三次", "dissatisfied_rounds >= 3")
    d.flow("gw_callback", "gw_expert_merge", "第二次", "dissatisfied_rounds == 2",
           via=[(39, low + 46), (25, low + 46)])
    d.flow("gw_callback", "prepare_reanswer", "第一次", default=True)
    d.flow("close_expert_closed", "end_expert_closed")
    d.flow("prepare_reanswer", "gw_assign_merge", via=[(40, low + 58), (4, low + 58)])
    shift_columns(d, start=6, by=2, keep={"gw_lawyer_found", "notify_assigned",
                                          "notify_unassigned", "assign_manually",
                                          "prepare_manual"})
    return d


def shift_columns(d: Diagram, start: float, by: float, keep: set[str]) -> None:
    """Move everything at or right of column `start` by `by` columns (except `keep`), to make
    room for nodes inserted later in the drawing's history without redrawing the rest."""
    for node in d.nodes.values():
        if node.id in keep:
            continue
        if node.kind == "subProcess":
            (c0, c1), rows = node.attrs["_span"]
            node.attrs["_span"] = ((c0 + by, c1 + by) if c0 >= start else (c0, c1), rows)
        elif node.col >= start:
            node.col += by
    for flow in d.flows:
        if isinstance(flow.via, list):
            flow.via = [(px + by, py) if isinstance(px, int | float) and start <= px < 100
                        else (px, py) for px, py in flow.via]
