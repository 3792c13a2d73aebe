"""Citizen pages."""
from flask import render_template
from flask_login import login_required

from . import bp


@bp.route("/")
@login_required
def my_consultations():
    """The citizen's own consultations with their status."""
    return render_template("citizen/list.html", consultations=[])


@bp.route("/new", methods=["GET", "POST"])
@login_required
def submit():
    """Submit a new legal question."""
    return render_template("citizen/list.html", consultations=[])
