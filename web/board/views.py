"""GET /board: open consultations with status, lawyer and next deadline; filter and pages."""
from flask import render_template, request
from flask_login import current_user, login_required

from engine.consultation.board import open_consultations
from engine.consultation.status import OPEN
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
    page = page_number(request.args)
    board_page = open_consultations(db.session, current_user.actor, status=status, page=page,
                                    per_page=PER_PAGE)
    return render_template("board/board.html", board=board_page, status=status,
                           statuses=OPEN)
