"""GET /board: open consultations with status, flags, lawyer and time left; search, filters,
pages."""
from flask import render_template, request
from flask_login import current_user, login_required

from engine.consultation.board import FLAGS, open_consultations
from engine.consultation.status import OPEN
from engine.models import utcnow
from web.board.blueprint import bp
from web.extensions import db
from web.params import page_number

PER_PAGE = 50


@bp.route("/")
@login_required
def board():
    """All open consultations, the most urgent first (duty officers, supervisors, admins)."""
    status = request.args.get("status") or None
    if status not in OPEN:
        status = None
    flag = request.args.get("flag") or None  # an unknown flag is a 422 naming `flag`
    search = (request.args.get("q") or "").strip() or None
    page = page_number(request.args)
    board_page = open_consultations(db.session, current_user.actor, status=status, page=page,
                                    per_page=PER_PAGE, flag=flag, search=search)
    now = utcnow()
    left = {r.id: int((r.due_at - now).total_seconds()) for r in board_page.rows if r.due_at}
    return render_template("board/board.html", board=board_page, status=status,
                           statuses=OPEN, flag=flag, flags=FLAGS, q=search or "", left=left)
