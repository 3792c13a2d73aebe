"""Use cases on consultations: submit a question, read one, list them."""
from dataclasses import dataclass

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import audit
from engine.actor import Actor
from engine.consultation.referral_view import referral_for
from engine.consultation.visibility import (
    ConsultationDetail,
    ConsultationSummary,
    answers_for,
    detail_of,
    timeline_for,
    visible,
)
from engine.errors import InvalidFormData, NotAllowed, NotFound
from engine.models import Consultation, ProcessVersion, utcnow
from engine.uow import read_only, transaction
from engine.workflow import forms
from engine.workflow.instances import start_in
from engine.workflow.start_forms import start_event_form
from engine.workflow.versions import latest_version

PROCESS_KEY = "consultation"
# Mirrors the start form of processes/consultation.bpmn, which wins when deployed.
CATEGORIES = {
    "family": "婚姻家庭", "labor": "劳动争议", "contract": "合同纠纷", "property": "房产物业",
    "traffic": "交通事故", "criminal": "刑事", "administrative": "行政", "other": "其他",
}
CASE_STATUSES = {"none": "未进入任何程序", "petition": "一般信访事项",
                 "in_litigation": "正在诉讼中",
                 "being_handled": "司法机关或行政执法机关正在办理",
                 "concluded": "案件已办结生效"}


class SubmitSchema(Schema):
    """The question form, used when the deployed diagram's start event has no form."""

    class Meta:
        unknown = EXCLUDE

    title = fields.String(required=True,
                          validate=validate.Length(1, 200, error="最多 {max} 个字符"))
    question = fields.String(required=True,
                             validate=validate.Length(1, 5000, error="最多 {max} 个字符"))
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    case_status = fields.String(load_default="none", validate=validate.OneOf(list(CASE_STATUSES)))
    vulnerable = fields.Boolean(load_default=False)
    contact_phone = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"^[0-9+\-\s()]{5,40}$", error="请填写有效的电话号码"))
    district = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=40))


@dataclass(frozen=True)
class ConsultationInfo:
    id: int
    status: str


def _fallback_fields() -> list[forms.FieldInfo]:
    def options(choices: dict) -> list[dict]:
        return [{"id": k, "name": v} for k, v in choices.items()]
    return [
        forms.FieldInfo("title", "标题", "string", required=True, maxlength=200),
        forms.FieldInfo("question", "咨询内容", "string", required=True, multiline=True,
                        maxlength=5000),
        forms.FieldInfo("category", "问题类别", "enum", required=True,
                        options=options(CATEGORIES)),
        forms.FieldInfo("case_status", "案件所处阶段", "enum", options=options(CASE_STATUSES),
                        default="none"),
        forms.FieldInfo("vulnerable", "涉及未成年人、老年人或人身安全", "boolean"),
        forms.FieldInfo("contact_phone", "联系电话", "string", maxlength=40),
        forms.FieldInfo("district", "所在区", "string", maxlength=40),
    ]


def start_form(session: Session) -> list[forms.FieldInfo]:
    """The question form's fields: the deployed diagram's start form, else the built-in one."""
    with read_only(session):
        try:
            form = start_event_form(latest_version(session, PROCESS_KEY))
        except NotFound:
            form = None
    return forms.describe(form) if form is not None else _fallback_fields()


def _clean(version: ProcessVersion, data: dict) -> dict:
    form = start_event_form(version)
    if form is not None:
        return forms.validate_data(form, data)
    try:
        return SubmitSchema().load({k: v for k, v in (data or {}).items() if v != ""})
    except ValidationError as exc:
        raise InvalidFormData("表单填写有误", exc.messages) from None


def submit(session: Session, actor: Actor, data: dict) -> ConsultationInfo:
    """A citizen asks a question: store it and start its consultation process."""
    if actor.role != "citizen":
        raise NotAllowed("只有咨询人可以提交咨询")
    with transaction(session):
        version = latest_version(session, PROCESS_KEY)
        clean = _clean(version, data)
        row = Consultation(citizen_id=actor.id, created_at=utcnow(), status="submitted",
                           **{k: clean.get(k) for k in ("title", "question", "category")},
                           case_status=clean.get("case_status") or "none",
                           vulnerable=bool(clean.get("vulnerable")),
                           contact_phone=clean.get("contact_phone") or None,
                           district=clean.get("district") or None)
        session.add(row)
        session.flush()
        audit.record(session, "consultation_submitted", actor.id, business_key=str(row.id),
                     data={"title": row.title, "category": row.category})
        start_data = {**clean, "consultation_id": row.id, "citizen_id": actor.id}
        instance = start_in(session, PROCESS_KEY, start_data, actor, business_key=str(row.id),
                            version=version)
        row.instance_id = instance.id
        info = ConsultationInfo(row.id, row.status)
    return info


def get_consultation(session: Session, consultation_id: int, actor: Actor) -> ConsultationDetail:
    """One consultation as `actor` may see it: published answers and a timeline."""
    with read_only(session):
        row = session.scalar(select(Consultation).where(
            Consultation.id == consultation_id, visible(actor)))
        if row is None:
            raise NotFound("咨询不存在")
        return detail_of(session, row, actor, answers_for(session, row, actor),
                         timeline_for(session, row, actor), referral_for(session, row, actor))


def list_consultations(session: Session, actor: Actor, status: str | None = None,
                       limit: int = 100, offset: int = 0) -> list[ConsultationSummary]:
    """The consultations `actor` may see, newest first."""
    query = select(Consultation).where(visible(actor))
    if status is not None:
        query = query.where(Consultation.status == status)
    query = (query.order_by(Consultation.created_at.desc(), Consultation.id.desc())
             .offset(offset).limit(limit))
    with read_only(session):
        return [ConsultationSummary.of(r) for r in session.scalars(query)]


def titles(session: Session, actor: Actor, ids) -> dict[int, str]:
    """Titles of the given consultations that `actor` may see (for inbox rows)."""
    ids = {int(i) for i in ids if i is not None}
    if not ids:
        return {}
    with read_only(session):
        return dict(session.execute(select(Consultation.id, Consultation.title).where(
            Consultation.id.in_(ids), visible(actor))).all())
