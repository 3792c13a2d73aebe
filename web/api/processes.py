"""What a client needs to start a process: its start form, read from the deployed diagram."""
from flask_smorest import Blueprint

from engine.workflow import start_forms
from web.extensions import db
from web.presenters import field_dict

from . import schemas
from .tokens import token_required

blp = Blueprint("api_processes", __name__, description="Processes")


@blp.route("/processes/<string(maxlength=100):key>/start-form")
@blp.response(200, schemas.StartForm)
@token_required
def start_form(key):
    """The start form of the latest deployed version (the fields POST /consultations takes
    for `consultation`): type, label, required, lengths, options, as a task's form."""
    form = start_forms.start_form(db.session, key)
    return {"key": form.key, "version": form.version,
            "fields": [field_dict(f) for f in form.fields]}
