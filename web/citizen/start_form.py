"""The start form's fields for the submit page.

Prefers the deployed diagram's form (`engine.consultations.start_form(session)` when the
engine offers it); until then a display-only copy of the process contract's start fields
(DESIGN.md §3). Validation is always the engine's, in `consultations.submit`.
"""
from flask_babel import lazy_gettext as _l

from web import gateway
from web.extensions import db
from web.presenters import field_dict


def _f(id, label, type="string", required=False, options=(), multiline=False, maxlength=None):
    return {"id": id, "label": label, "type": type, "required": required, "min": None,
            "max": None, "maxlength": maxlength, "multiline": multiline, "default": None,
            "options": [{"id": k, "name": v} for k, v in options]}


def _fallback() -> list[dict]:
    return [
        _f("title", _l("标题"), required=True, maxlength=200),
        _f("question", _l("问题描述"), required=True, multiline=True, maxlength=5000),
        _f("category", _l("问题类别"), "enum", True, [
            ("labor", _l("劳动争议")), ("family", _l("婚姻家庭")), ("contract", _l("合同纠纷")),
            ("property", _l("房产物业")), ("consumer", _l("消费维权")), ("other", _l("其他"))]),
        _f("case_status", _l("案件状态"), "enum", True, [
            ("none", _l("尚未进入任何程序")), ("petition", _l("信访事项")),
            ("in_litigation", _l("正在诉讼中")), ("being_handled", _l("正由执法机关处理")),
            ("concluded", _l("已经结案"))]),
        _f("vulnerable", _l("涉及未成年人、老年人或人身安全"), "boolean"),
        _f("contact_phone", _l("联系电话（仅值班人员可见）"), maxlength=40),
        _f("district", _l("所在区"), maxlength=40),
    ]


def start_fields() -> list[dict]:
    """Field dicts (same shape as a task form's) for the consultation start form."""
    try:
        start_form = gateway.consultations.start_form
    except (ImportError, AttributeError):
        return _fallback()
    return [field_dict(f) for f in start_form(db.session)]
