"""Citizens submit consultations; everyone lists and reads what they have a part in."""
from flask import current_app, g
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from web import gateway, readmodels
from web.extensions import db, limiter

from . import schemas
from .tokens import token_required

blp = Blueprint("api_consultations", __name__, description="Consultations")


class AnswerOut(Schema):
    id = fields.Integer()
    text = fields.String()
    kind = fields.String()
    round = fields.Integer()
    author = fields.String(allow_none=True)
    published_at = fields.DateTime()


class TimelineOut(Schema):
    at = fields.DateTime()
    event = fields.String()


class ConsultationOut(Schema):
    id = fields.Integer()
    title = fields.String()
    category = fields.String()
    status = fields.String()
    case_status = fields.String()
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class ConsultationDetailOut(ConsultationOut):
    question = fields.String()
    screening_reason = fields.String(allow_none=True)
    answers = fields.List(fields.Nested(AnswerOut))
    timeline = fields.List(fields.Nested(TimelineOut))
    contact_phone = fields.String(allow_none=True)
    district = fields.String(allow_none=True)


@blp.route("/consultations", methods=["POST"])
@limiter.limit(lambda: current_app.config["SUBMIT_RATE_LIMIT"])
@token_required
@blp.arguments(schemas.FormData)
@blp.response(201, schemas.Created)
def submit(data):
    """Submit a question (citizens); the body is the start form's fields."""
    info = gateway.consultations.submit(db.session, g.actor, dict(data))
    return {"id": info.id, "status": info.status}


@blp.route("/consultations")
@blp.response(200, ConsultationOut(many=True))
@token_required
def list_consultations():
    """Consultations the caller may see."""
    return readmodels.list_for(db.session, g.actor)


@blp.route("/consultations/<int:consultation_id>")
@blp.response(200, ConsultationDetailOut)
@token_required
def get_consultation(consultation_id):
    """One consultation with answers and timeline; contact details only for allowed roles."""
    return readmodels.detail(db.session, consultation_id, g.actor)
