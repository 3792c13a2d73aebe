"""Simplified Chinese by default, English on request, and a complete English catalogue."""
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import session

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "web/translations/en/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")


def _catalog():
    with PO.open("rb") as f:
        return read_po(f, locale="en")


def _key(value):
    """A message id or string as a dict key (plural ones come as lists or tuples)."""
    return value if isinstance(value, str) else tuple(value)


def test_every_message_has_an_english_translation():
    untranslated = [m.id for m in _catalog() if m.id and not m.string]
    assert untranslated == []


def test_catalogue_covers_every_string_in_the_source():
    known = {_key(m.id) for m in _catalog()}
    methods = [("web/**.py", "python"), ("web/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None,
                "ngettext": (1, 2)}
    found = {_key(msg) for _f, _l, msg, *_ in extract_from_dir(str(ROOT), methods,
                                                                keywords=keywords)
             if isinstance(msg, str) or all(isinstance(m, str) for m in msg)}
    assert found - known == set(), "run pybabel extract/update and translate the new strings"


def test_compiled_mo_matches_the_po():
    with MO.open("rb") as f:
        compiled = {_key(m.id): _key(m.string) for m in read_mo(f) if m.id}
    assert compiled == {_key(m.id): _key(m.string) for m in _catalog() if m.id}


def test_switching_to_english_translates_the_page(client):
    assert "登录" in client.get("/auth/login").text
    response = client.post("/language", data={"lang": "en", "next": "/auth/login"},
                           follow_redirects=True)
    assert "Log in" in response.text and "Username" in response.text
    assert "用户名" not in response.text


def test_language_choice_is_saved_on_the_user(client, auth, make_user):
    make_user("lawyer_en", "lawyer")
    auth.login("lawyer_en")
    client.post("/language", data={"lang": "en"})
    auth.logout()
    with client.session_transaction() as sess:
        assert "lang" not in sess
    response = auth.login("lawyer_en", follow_redirects=True)
    assert "Resident lawyer" in response.text and "My tasks" in response.text


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"lang": "fr"})
    assert "登录" in client.get("/auth/login").text


def test_language_switch_does_not_redirect_off_site(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_every_consultation_status_has_a_label_in_both_languages(app):
    from engine.consultation.status import Status
    from web.i18n import STATUS_LABELS, status_label

    assert set(STATUS_LABELS) == set(Status)
    labels = {}
    for lang in ("zh", "en"):
        with app.test_request_context():
            session["lang"] = lang
            labels[lang] = {status_label(s) for s in Status}
    assert len(labels["zh"]) == len(labels["en"]) == len(Status)
    assert not labels["zh"] & labels["en"] and "Closed" in labels["en"]
