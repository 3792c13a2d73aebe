"""The helpers diagram scripts may call: the contract the engine's script environment implements.

Arguments and results are plain values; user and institution ids are ints. Side effects go
to the database in the same transaction as the step that runs the script. A helper that
"raises a field error" makes the engine refuse the user task completion just before the
script (HTTP 422 with that field's message), so the scripts right after a user task double
as its cross-field validation.
"""

HELPERS: dict[str, str] = {
    "set_status": "set_status(consultation_id, status) -- status: screening, rejected, assigned, "
                  "answering, answered, refused, expert_review, callback, closed, referral",
    "reject_consultation": "reject_consultation(consultation_id, reason) -- screening said no: "
                           "status 不予受理, the citizen is notified with the reason",
    "check_member": "check_member(user_id, institution_id, field) -- raises a field error unless "
                    "the named person is an active member of that institution; None passes",
    "find_institution": "find_institution(consultation_id, exclude) -> another qualified "
                        "institution's id, or None when every one was tried",
    "find_lawyer": "find_lawyer(consultation_id, category, exclude) -> lawyer id, or None when "
                   "nobody qualifies (the duty officer then assigns by hand)",
    "report_flags": "report_flags(consultation_id, sensitive, attention) -> the flags newly set "
                    "(e.g. [\"sensitive\"]); records them and tells the duty officers at once",
    "endorse_answer": "endorse_answer(consultation_id, expert_id) -- the expert group's "
                      "endorsement of the published answer, shown as the group's own entry",
    "assign_lawyer": "assign_lawyer(consultation_id, lawyer_id) -- records the current lawyer "
                     "and sends the 留言通知",
    "publish_answer": "publish_answer(consultation_id, kind, text, author_id, drafter_id, "
                      "approver_id, held=False) -> answer id; kind: answer | refusal | expert | "
                      "expert_endorsement | overruled_refusal",
    "check_delegate": "check_delegate(lawyer_id, delegate_to) -- field error on delegate_to "
                      "unless an active staff member or lawyer of the lawyer's institution",
    "check_assignee": "check_assignee(user_id, role, exclude, field) -- field error on `field` "
                      "unless user_id is None or an active, not disqualified user with `role` "
                      "who is not in exclude",
    "require": "require(condition, field, message) -- field error on `field` with `message` "
               "unless condition is truthy",
    "matches": "matches(text, pattern) -> bool -- the regular expression occurs in the text "
               "(the screening table's hints)",
    "check_touting": "check_touting(text, keep, field) -> held -- the solicitation scan on submit: "
                     "a field error listing what was found unless keep; kept text is held",
    "release_answer": "release_answer(consultation_id, answer_id) -- a supervisor releases a "
                      "held answer to the citizen",
    "withhold_answer": "withhold_answer(consultation_id, answer_id, reason) -- the held answer "
                       "stays hidden; its author is told why",
    "institution_of": "institution_of(user_id) -> institution id or None",
    "notify": "notify(user_id, kind, consultation_id)",
    "notify_role": "notify_role(role, kind, consultation_id) -- every active user with the role",
    "notify_institution": "notify_institution(institution_id, kind, consultation_id) -- every "
                          "active member of the institution",
    "record_breach": "record_breach(consultation_id, stage, user_id) -- stage: answer | callback "
                     "| expert_review | referral_accept | referral_agreement; user_id may be None",
    "record_feedback": "record_feedback(consultation_id, satisfied, comment, wants_referral)",
    "close_consultation": "close_consultation(consultation_id, reason) -- reason: satisfied, "
                          "no_feedback, rejected, refused, expert_closed, round_limit",
    "qualified_institution": "qualified_institution(consultation_id, institution_id, exclude) -> "
                             "that institution if still resident with an active lawyer, else "
                             "another qualified one, else None",
    "check_institution": "check_institution(institution_id, field) -- field error unless empty "
                         "or still resident with an active lawyer",
    "record_referral": "record_referral(consultation_id, status, institution_id, handler_id, "
                       "decline_reason, agreement_no, signed_on) -- status: offered, declined, "
                       "accepted, agreed, failed",
}

NOTIFY_KINDS = frozenset({
    "task_assigned", "reminder", "escalation", "answer_published", "callback_needed",
    "sensitive_case", "attention_case", "referral_update", "rejected", "closed", "expert_revise",
    "answer_withheld",
})

BUILTINS = frozenset({
    "len", "min", "max", "str", "int", "bool", "list", "dict", "set", "sorted", "any", "all",
    "range", "abs", "round", "isinstance",
})
