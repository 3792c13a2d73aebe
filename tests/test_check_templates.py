"""The template lint refuses what turns off escaping or needs inline script, and passes the
real tree."""
from pathlib import Path

from tools.check_templates import violations

ROOT = Path(__file__).resolve().parents[1]


def test_real_tree_passes():
    assert violations(ROOT) == []


def test_refused_constructs_are_named(tmp_path):
    templates = tmp_path / "web" / "templates"
    templates.mkdir(parents=True)
    (templates / "bad.html").write_text(
        "<p>{{ field.id|safe }}</p>\n{% autoescape false %}{{ x }}{% endautoescape %}\n"
        '<select onchange="this.form.submit()"></select>\n<script>alert(1)</script>\n'
        '<script src="/static/a.js"></script><script type="application/json">{}</script>\n')
    (tmp_path / "web" / "view.py").write_text("from markupsafe import Markup\n"
                                              "html = Markup(f'<b>{name}</b>')\n")
    assert violations(tmp_path) == [
        "web/templates/bad.html:1: the |safe filter turns off escaping",
        "web/templates/bad.html:2: autoescape false turns off escaping",
        "web/templates/bad.html:3: inline event handler (CSP refuses it)",
        "web/templates/bad.html:4: inline script (CSP refuses it): load a file from /static",
        "web/view.py:2: Markup() marks text as safe HTML",
    ]
