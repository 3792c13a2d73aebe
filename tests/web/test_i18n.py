"""Simplified Chinese by default, English on request, and a complete English catalogue."""
import re
import subprocess
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import session

from tools import messages

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
    missing = {m: where for m, where in messages.extract().items() if m not in known}
    assert missing == {}, "run `make messages` and translate the new strings"


def test_a_template_and_its_translation_fill_in_the_same_values():
    """An engine message made from a template (engine.errors.Message) is filled in from its
    translation: a placeholder missing or misspelt there would fail at the door."""
    slots = re.compile(r"{(\w*)}")
    for m in _catalog():
        if m.id and isinstance(m.id, str):
            assert set(slots.findall(m.id)) == set(slots.findall(m.string)), m.id


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


def test_make_messages_keeps_every_translation(tmp_path):
    """`make messages` as a translator runs it (on a copy of the catalogue): nothing the
    catalogue knows is lost or left untranslated, and the catalogue already holds every
    string, so nothing new appears."""
    copy = tmp_path / "messages.po"
    copy.write_bytes(PO.read_bytes())
    done = subprocess.run(["make", "--no-print-directory", "messages", f"PO={copy}"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with copy.open("rb") as f:
        merged = {_key(m.id): m.string for m in read_po(f, locale="en") if m.id}
    assert merged == {_key(m.id): m.string for m in _catalog() if m.id}
