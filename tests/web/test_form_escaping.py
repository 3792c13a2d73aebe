"""A form field's id from a diagram never reaches the task page as markup (even from a version
deployed before ids were checked)."""
from markupsafe import escape

EVIL = '"><img src=x onerror=alert(1)>'


def test_a_hostile_field_id_is_escaped_in_every_attribute(app):
    field = {"id": EVIL, "label": "备注", "widget": "text", "required": True, "min": None,
             "max": None, "maxlength": None, "default": None}
    with app.test_request_context():
        macros = app.jinja_env.get_template("macros/task_form.html").module
        html = str(macros.form_field(field, {}, {EVIL: ["必须填写此项"]}))
    assert "<img" not in html and 'onerror=alert(1)>' not in html
    assert f'aria-describedby="{escape(EVIL)}-error"' in html
    assert 'aria-invalid="true"' in html
