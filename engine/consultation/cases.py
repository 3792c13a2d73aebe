"""Use cases on consultations: submit a question, read one, list them."""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import access, audit
from engine.actor import Actor
from engine.consultation.facts import PROCESS_KEY, deadline_of, hours
from engine.consultation.referral_view import referral_for
from engine.consultation.status import Status
from engine.consultation.visibility import (
    ConsultationDetail,
    ConsultationSummary,
    detail_of,
    visible,
)
from engine.errors import N_, InvalidFormData, NotFound
from engine.models import Consultation, ProcessInstance, ProcessVersion, utcnow
from engine.people.profile import remember_phone
from engine.statements import consultation_view, driver
from engine.uow import read_only, transaction
from engine.workflow import forms
from engine.workflow.instances import start_in
from engine.workflow.start_forms import start_form as process_start_form
from engine.workflow.start_forms import validate_start_data
from engine.workflow.versions import latest_version

# The start form's fields the consultation record is made of (the process contract).
CONTRACT = ("title", "question", "category")


@dataclass(frozen=True)
class ConsultationInfo:
    id: int
    status: str
    answer_hours: float | None = None  # the answer deadline of the version it started on


def start_form(session: Session) -> list[forms.FieldInfo]:
    """The question form: the start event's form of the latest deployed version."""
    return process_start_form(session, PROCESS_KEY).fields


def option_labels(session: Session, field_id: str) -> dict[str, str]:
    """The labels the latest start form gives the options of one choice field (e.g. category)."""
    try:
        fields = start_form(session)
    except NotFound:
        return {}
    return {o["id"]: o["name"] for f in fields if f.id == field_id for o in f.options}


def _clean(version: ProcessVersion, data: dict) -> dict:
    clean = validate_start_data(version, data)
    missing = [name for name in CONTRACT if name not in clean]
    if missing:
        raise InvalidFormData("咨询流程的开始表单缺少必需的字段",
                              {name: [N_("流程的开始表单没有此字段")] for name in missing})
    too_long = {name: [forms.MSG["max_length"].format(max=column.type.length)]
                for name, column in Consultation.__table__.c.items()
                if isinstance(clean.get(name), str) and getattr(column.type, "length", None)
                and len(clean[name]) > column.type.length}
    if too_long:  # the diagram allows more than the record stores: refuse, never truncate
        raise InvalidFormData("表单填写有误", too_long)
    return clean


def submit(session: Session, actor: Actor, data: dict) -> ConsultationInfo:
    """A citizen asks a question: store it and start its consultation process."""
    access.require(actor, "submit_consultation")
    with transaction(session):
        version = latest_version(session, PROCESS_KEY)
        clean = _clean(version, data)
        row = Consultation(citizen_id=actor.id, created_at=utcnow(), status=Status.SUBMITTED,
                           **{k: clean.get(k) for k in ("title", "question", "category")},
                           case_status=clean.get("case_status") or "none",
                           vulnerable=bool(clean.get("vulnerable")),
                           contact_phone=clean.get("contact_phone") or None,
                           district=clean.get("district") or None)
        session.add(row)
        remember_phone(session, actor.id, row.contact_phone)  # asked once, offered next time
        session.flush()
        audit.record(session, "consultation_submitted", actor.id, business_key=str(row.id),
                     data={"title": row.title, "category": row.category})
        start_data = {**clean, "consultation_id": row.id, "citizen_id": actor.id}
        instance = start_in(session, PROCESS_KEY, start_data, actor, business_key=str(row.id),
                            version=version)
        row.instance_id = instance.id
        info = ConsultationInfo(row.id, row.status, hours(deadline_of(version)))
    return info


def get_consultation(session: Session, consultation_id: int, actor: Actor) -> ConsultationDetail:
    """One consultation as `actor` may see it: published answers and a timeline."""
    with read_only(session):
        row = session.execute(
            select(Consultation.__table__, ProcessInstance.version_id)
            .outerjoin(ProcessInstance, ProcessInstance.id == Consultation.instance_id)
            .where(Consultation.id == consultation_id, visible(actor))).first()
        if row is None:
            raise NotFound("咨询不存在")
        answers, events, referrals = driver.fetch_many(session, [
            (consultation_view.ANSWERS, {"cid": row.id}),
            (consultation_view.EVENTS, {"key": str(row.id)}),
            (consultation_view.LATEST_REFERRAL, {"cid": row.id})])
        referral = referral_for(session, row, actor, referrals[0] if referrals else None)
        return detail_of(session, row, actor, answers, events, referral)


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
