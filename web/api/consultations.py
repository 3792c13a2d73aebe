"""Citizens submit consultations; everyone lists and reads what they have a part in."""
from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from engine.consultation import cases as consultations
from engine.consultation.status import Status
from web.extensions import db, limiter
from web.presenters import consultation_dict, summary_dict

from . import schemas
from .tokens import token_required

blp = Blueprint("api_consultations", __name__, description="Consultations")


class ListArgs(Schema):
    status = fields.String(validate=validate.OneOf([s.value for s in Status]))
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))


class AnswerOut(Schema):
    id = fields.Integer()
    text = fields.String()
    kind = fields.String(metadata={"description": "answer, refusal, expert, expert_endorsement "
                                                  "(the expert group's endorsement) or "
                                                  "overruled_refusal (back office only)"})
    round = fields.Integer()
    author = fields.String(allow_none=True, metadata={"description": "the answering lawyer"})
    drafter = fields.String(metadata={"description": "back office only"})
    approver = fields.String(metadata={"description": "back office only"})
    published_at = fields.DateTime()


class TimelineOut(Schema):
    at = fields.DateTime()
    event = fields.String()
    actor = fields.String(allow_none=True)
    task = fields.String(allow_none=True)


class DeclineOut(Schema):
    institution = fields.String()
    reason = fields.String()
    at = fields.DateTime()


class ReferralOut(Schema):
    status = fields.String(metadata={
        "description": "offered, accepted, agreed, declined or failed"})
    institution = fields.String(allow_none=True, metadata={
        "description": "the institution that will contact the citizen"})
    handler = fields.String(allow_none=True)
    due_at = fields.DateTime(allow_none=True, metadata={
        "description": "the institution answers, or the agreement is signed, by then"})
    agreement_no = fields.String(allow_none=True)
    signed_on = fields.String(allow_none=True)
    declines = fields.List(fields.Nested(DeclineOut), metadata={"description": "back office only"})


class ConsultationOut(Schema):
    id = fields.Integer()
    title = fields.String()
    category = fields.String()
    status = fields.String(metadata={"enum": [s.value for s in Status]})
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class ConsultationDetailOut(ConsultationOut):
    question = fields.String()
    case_status = fields.String()
    vulnerable = fields.Boolean()
    district = fields.String(allow_none=True)
    screening_reason = fields.String(allow_none=True)
    round = fields.Integer()
    lawyer = fields.String(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    answer_hours = fields.Float(allow_none=True, metadata={
        "description": "the answer deadline (hours from the lawyer's notification) that the "
                       "consultation's process version sets"})
    answers = fields.List(fields.Nested(AnswerOut))
    timeline = fields.List(fields.Nested(TimelineOut))
    contact_phone = fields.String(metadata={
        "description": "only for the citizen, duty officers, supervisors and admins"})
    referral = fields.Nested(ReferralOut, allow_none=True, metadata={
        "description": "the offline engagement, once the citizen asked for one"})


@blp.route("/consultations", methods=["POST"])
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"])
@token_required
@blp.arguments(schemas.FormData)
@blp.response(201, schemas.Created)
def submit(data):
    """Submit a question (citizens). The body holds the fields of the consultation process's
    start form (GET /processes/consultation/start-form) and is validated by the same rules:
    422 with a message per field."""
    info = consultations.submit(db.session, g.actor, dict(data))
    return {"id": info.id, "status": info.status}


@blp.route("/consultations")
@blp.arguments(ListArgs, location="query")
@blp.response(200, ConsultationOut(many=True))
@token_required
def list_consultations(args):
    """Consultations the caller may see, newest first (optionally one status)."""
    found = consultations.list_consultations(db.session, g.actor, status=args.get("status"),
                                             limit=args["limit"])
    return [summary_dict(s) for s in found]


@blp.route("/consultations/<id:consultation_id>")
@blp.response(200, ConsultationDetailOut)
@token_required
def get_consultation(consultation_id):
    """One consultation with answers and timeline; contact details only for allowed roles."""
    return consultation_dict(consultations.get_consultation(db.session, consultation_id,
                                                            g.actor))
