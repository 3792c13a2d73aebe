"""Marshmallow schemas of the JSON API; load() failures answer 422 with field messages."""
from marshmallow import INCLUDE, Schema, fields, validate


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
    key = fields.String(metadata={"description": "the BPMN user task id"})
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
    remaining_seconds = fields.Integer(allow_none=True)


class Option(Schema):
    id = fields.String()
    name = fields.String()


class Field(Schema):
    """One field of the task's camunda:formData; read-only fields are shown, never accepted."""

    id = fields.String()
    label = fields.String()
    type = fields.String(metadata={"description": "string, long, boolean, date or enum"})
    required = fields.Boolean()
    readonly = fields.Boolean()
    multiline = fields.Boolean()
    options = fields.List(fields.Nested(Option))
    default = fields.String(allow_none=True)
    minlength = fields.Integer(allow_none=True)
    maxlength = fields.Integer(allow_none=True)
    min = fields.Integer(allow_none=True)
    max = fields.Integer(allow_none=True)
    shown_when = fields.Dict(allow_none=True, metadata={
        "description": "needed only when the choice `field` has one of `values`"})
    properties = fields.Dict(metadata={"description": "the field's camunda:property values"})


class Form(Schema):
    # "fields" would shadow Schema.fields, hence the attribute/data_key pair.
    field_list = fields.List(fields.Nested(Field), attribute="fields", data_key="fields")


class StartForm(Form):
    """A process's start form: the same field description as a task's form."""

    key = fields.String(metadata={"description": "the process key"})
    version = fields.Integer(metadata={"description": "the deployed version it was read from"})


class TaskDetail(Task):
    form = fields.Nested(Form)
    values = fields.Dict(metadata={"description": "current values of the form's fields"})
    context = fields.Dict(metadata={"description": "process data the caller may read"})
    documentation = fields.String()
    actionable = fields.Boolean(metadata={"description": "whether the caller may claim or "
                                                          "complete it now"})
    revision = fields.Integer(allow_none=True, metadata={
        "description": "send back with complete for optimistic locking (409 when stale)"})
    deadline_hours = fields.Float(allow_none=True, metadata={
        "description": "hours allowed for the task, as the process version's timer sets it"})


class TaskWhereaboutsSchema(Schema):
    """What became of a task that left the caller; published as `TaskWhereabouts`."""

    state = fields.String(required=True, validate=validate.OneOf(
        ["claimed", "completed", "reassigned", "withdrawn"]), metadata={
        "description": "claimed or completed by a colleague, reassigned, or withdrawn by the "
                       "process (a deadline, another branch)"})
    by = fields.String(allow_none=True, metadata={
        "description": "the colleague who claimed or completed it"})
    by_you = fields.Boolean(metadata={"description": "the caller completed it themselves"})


class ErrorSchema(Schema):
    """The body of every API error (web/errors.py builds it); published as `Error`."""

    error = fields.String(required=True, metadata={
        "description": "a code: invalid, unauthorized, forbidden, not_found, conflict, task_gone, "
                       "too_large, too_many_requests, server_error ..."})
    message = fields.String(required=True, metadata={"description": "for people to read"})
    fields_at_fault = fields.Dict(keys=fields.String(), data_key="fields", metadata={
        "description": "field name -> what is wrong with it (422)"})
    incident = fields.String(metadata={
        "description": "500 only: the id under which the server logged what went wrong"})
    task = fields.Nested(TaskWhereaboutsSchema, metadata={
        "description": "409 task_gone only: the task was the caller's to take or do and has "
                       "left them (a notice's link outlives its task)"})
