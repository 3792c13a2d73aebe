"""The audit log page: filter by lawyer, institution, dates and action; keyset pages."""
from flask import render_template, request
from flask_login import current_user

from engine.audit import log as audit_log
from engine.oversight import reading as oversight
from web.auth.access import requires
from web.extensions import db
from web.params import date_range, integer
from web.supervisor.blueprint import bp

PAGE = 100


@bp.route("/audit")
@requires("read_audit")
def audit():
    """Audit rows newest first; "older" pages continue below the last row shown."""
    args, errors = request.args, {}
    first, last, start, end = date_range(args, errors)
    filters = dict(lawyer_id=integer(args, "lawyer_id", errors),
                   institution_id=integer(args, "institution_id", errors),
                   action=args.get("action") or None)
    page = audit_log.search(db.session, current_user.actor, start=start, end=end,
                            before_id=integer(args, "before", errors), limit=PAGE, **filters)
    more_args = {k: v for k, v in args.items() if k != "before" and v}
    return render_template(
        "supervisor/audit.html", page=page, errors=errors, args=args, more_args=more_args,
        actions=audit_log.actions(db.session, current_user.actor),
        lawyers=oversight.lawyers(db.session, current_user.actor),
        institutions=oversight.institutions(db.session)), 422 if errors else 200
