"""The one place where engine errors and HTTP errors become responses.

`/api/` paths and clients that prefer JSON get {error, message, fields?}; browsers get a page.
"""
import secrets

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from engine import errors as engine_errors
from web.engine_messages import engine_error
from web.extensions import db

# engine error class -> (HTTP status, error code); the first matching base class wins.
ENGINE_STATUS = (
    (engine_errors.NotFound, 404, "not_found"),
    (engine_errors.NotAllowed, 403, "forbidden"),
    (engine_errors.TaskGone, 409, "task_gone"),
    (engine_errors.TaskConflict, 409, "conflict"),
    (engine_errors.InvalidInput, 422, "invalid"),
    (engine_errors.BundleInvalid, 422, "bundle_invalid"),
    (engine_errors.ScriptNotAllowed, 422, "script_not_allowed"),
    # A diagram's step failed or overran its budget: the person acted correctly, the process
    # did not; the message says so and the instance waits for an administrator.
    (engine_errors.ScriptLimitExceeded, 422, "script_limit_exceeded"),
    (engine_errors.InstanceFailed, 422, "instance_failed"),
)
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large",
              415: "unsupported_media_type", 422: "invalid", 429: "too_many_requests"}


def wants_json() -> bool:
    """True for the API and for clients asking for JSON rather than HTML."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > \
        request.accept_mimetypes["text/html"]


def error_response(status: int, code: str, message: str, fields: dict | None = None,
                   headers: list | None = None, incident: str | None = None,
                   task: dict | None = None):
    """Build the JSON body or the HTML page for one error."""
    if wants_json():
        body = {"error": code, "message": message}
        if fields:
            body["fields"] = fields
        if incident:
            body["incident"] = incident
        if task:
            body["task"] = task
        return jsonify(body), status, headers or []
    return render_template("errors/error.html", status=status, message=message,
                           fields=fields or {}, incident=incident), status, headers or []


def handle_engine_error(exc: engine_errors.EngineError):
    status, code = next(((s, c) for cls, s, c in ENGINE_STATUS if isinstance(exc, cls)),
                        (500, "engine_error"))
    if status >= 500:  # its text is the server's business (a script's error, a driver's)
        return _incident(exc, code)
    message, fields = engine_error(exc)
    if isinstance(exc, engine_errors.BundleInvalid):
        fields = {"problems": [str(p) for p in exc.problems]}
    if isinstance(exc, engine_errors.TaskGone):
        return error_response(status, code, gone_message(exc), task={
            "state": exc.state, "by": exc.by, "by_you": exc.by_you})
    return error_response(status, code, message, fields)


def gone_message(gone) -> str:
    """What became of a task that left the person (engine.workflow.whereabouts), in their
    language; `gone` is a Whereabouts or the TaskGone raised from one."""
    if gone.state == "claimed":
        return _("该任务已由 %(name)s 领取。", name=gone.by or "")
    if gone.state == "completed":
        return _("您已办理完该任务。") if gone.by_you else _(
            "该任务已由 %(name)s 办理完毕。", name=gone.by or "")
    if gone.state == "reassigned":
        return _("该任务已改派他人。")
    return _("该任务已无需办理：流程已经往下走了。")


def _fields_from_smorest(exc: HTTPException) -> dict | None:
    """flask-smorest/webargs put marshmallow messages in exc.data["messages"][location]."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    merged: dict = {}
    for location in messages.values():
        merged.update(location if isinstance(location, dict) else {"_schema": location})
    return merged or None


def handle_http_error(exc: HTTPException):
    status = exc.code or 500
    fields = _fields_from_smorest(exc)
    if status == 400 and fields and "_schema" in fields:  # e.g. "Invalid JSON body."
        fields = None
    message = (getattr(exc, "data", None) or {}).get("message") or _default_message(exc)
    if status == 422 and fields:
        message = _("提交的数据无效")
    # Keep WWW-Authenticate, Retry-After, Allow ...; the body's type is ours to choose.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return error_response(status, HTTP_CODES.get(status, "error"), message, fields, headers)


def handle_csrf_error(exc: CSRFError):
    return error_response(400, "csrf", _("页面已过期或缺少安全令牌，请刷新后重试。"))


def handle_unexpected(exc: InternalServerError):
    return _incident(exc.original_exception or exc, "server_error")


def _incident(exc: BaseException, code: str):
    """Log the failure under a fresh incident id; the client sees only the id."""
    incident = secrets.token_hex(6)
    current_app.logger.error("incident %s: %s: %s", incident, type(exc).__name__, exc,
                             exc_info=exc)
    db.session.rollback()  # the page below reads the database (a failed query aborted it)
    message = _("服务器内部错误，请稍后重试。如需帮助，请提供事件编号 %(id)s。", id=incident)
    return error_response(500, code, message, incident=incident)


def _default_message(exc: HTTPException) -> str:
    messages = {400: _("请求格式错误。"), 401: _("请先登录。"), 403: _("您无权执行此操作。"),
                404: _("页面或对象不存在。"),
                405: _("不支持此请求方法。"), 429: _("请求过于频繁，请稍后再试。")}
    return messages.get(exc.code, exc.description or exc.name)


def init_app(app: Flask) -> None:
    app.register_error_handler(engine_errors.EngineError, handle_engine_error)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(InternalServerError, handle_unexpected)
