"""Inbox, task page, claim / release / complete."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("/")
@login_required
def inbox():
    """The caller's open tasks, soonest due first."""
    return render_template("tasks/inbox.html", tasks=[])
