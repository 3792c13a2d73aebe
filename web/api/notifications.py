"""The caller's notifications: a page with the unread count, and marking them read."""
from dataclasses import replace

from flask import g
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from engine.notifications import outbox
from web.engine_messages import engine_text
from web.extensions import db

from .tokens import token_required

blp = Blueprint("api_notifications", __name__, description="Notifications")


class PageQuery(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    unread = fields.Boolean(load_default=False,
                            metadata={"description": "only unread notifications"})


class Notice(Schema):
    id = fields.Integer()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    link = fields.String(allow_none=True,
                         metadata={"description": "the page it is about, e.g. /tasks/<id>"})
    business_key = fields.String(allow_none=True,
                                 metadata={"description": "the consultation's number"})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NoticePage(Schema):
    items = fields.List(fields.Nested(Notice))
    total = fields.Integer(metadata={"description": "how many match (all, or unread only)"})
    unread = fields.Integer(metadata={"description": "the caller's unread notifications"})
    page = fields.Integer()
    per_page = fields.Integer()


class Marked(Schema):
    marked = fields.Integer(metadata={"description": "how many became read"})
    unread = fields.Integer()


@blp.route("/notifications")
@blp.arguments(PageQuery, location="query")
@blp.response(200, NoticePage)
@token_required
def list_notifications(query):
    """The caller's notifications, newest first, with the unread count."""
    found = outbox.page_for_user(db.session, g.actor.id, query["page"], query["per_page"],
                                 query["unread"])
    return replace(found, items=[item.read_in(engine_text) for item in found.items])


@blp.route("/notifications/<id:notification_id>/read", methods=["POST"])
@blp.response(200, Notice)
@token_required
def read_one(notification_id):
    """Mark one of the caller's notifications read (404 if it is not theirs)."""
    return outbox.mark_one_read(db.session, g.actor.id, notification_id).read_in(engine_text)


@blp.route("/notifications/read-all", methods=["POST"])
@blp.response(200, Marked)
@token_required
def read_all():
    """Mark every notification of the caller read."""
    marked = outbox.mark_read(db.session, g.actor.id)
    return {"marked": marked, "unread": outbox.unread_count(db.session, g.actor.id)}
