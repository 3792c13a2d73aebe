"""GET /tasks/my-answers: the lawyer's past answers with the citizens' ratings, newest first."""
from flask import render_template, request
from flask_login import current_user, login_required

from engine.consultation.my_answers import my_answers
from web.extensions import db
from web.tasks.blueprint import bp

PER_PAGE = 20


@bp.route("/my-answers")
@login_required
def my_answers_page():
    """The caller's published answers, each with the citizen's rating and comment if given."""
    page = max(1, request.args.get("page", 1, type=int))
    found = my_answers(db.session, current_user.actor, page=page, per_page=PER_PAGE)
    return render_template("tasks/my_answers.html", answers=found)
