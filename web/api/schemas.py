"""Marshmallow schemas of the JSON API; load() failures answer 422 with field messages."""
from marshmallow import INCLUDE, Schema, fields


class TokenRequest(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True)


class TokenResponse(Schema):
    token = fields.String()
    expires_in = fields.Integer()


class Me(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String()
    role_label = fields.String()
    institution = fields.String(allow_none=True)
    status = fields.String()
    locale = fields.String(allow_none=True)


class FormData(Schema):
    """A start or task form's values; the engine validates them against the BPMN form."""

    class Meta:
        unknown = INCLUDE


class Created(Schema):
    id = fields.Integer()
    status = fields.String()


class CompleteRequest(Schema):
    data = fields.Dict(required=True)
    revision = fields.Integer(allow_none=True, load_default=None)


class Task(Schema):
    id = fields.String()
    key = fields.String()
    name = fields.String()
    role = fields.String()
    consultation_id = fields.Integer(allow_none=True)
    assignee = fields.Integer(allow_none=True)
    claimed_by = fields.Integer(allow_none=True)
    institution_id = fields.Integer(allow_none=True)
    state = fields.String()
    created_at = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    overdue = fields.Boolean()


class TaskDetail(Task):
    form = fields.Dict()
    context = fields.Dict()
    revision = fields.Integer(allow_none=True)
