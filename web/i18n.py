"""Locale choice: the session's pick, else the user's saved locale, else Simplified Chinese."""
from flask import Flask, current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from engine.roles import ROLES

from .extensions import babel

# English names of the roles; the Chinese labels come from engine.roles.
ROLE_LABELS_EN = {
    "citizen": "Citizen", "lawyer": "Resident lawyer", "staff": "Institution staff",
    "duty_officer": "Duty officer", "expert": "Expert panel member",
    "supervisor": "Network supervisor", "designer": "Process designer", "admin": "Administrator",
}


def select_locale() -> str:
    """The language of this request (zh or en)."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if getattr(current_user, "is_authenticated", False) and current_user.locale in languages:
        return current_user.locale
    if request.args.get("lang") in languages:
        return request.args["lang"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def role_label(role: str) -> str:
    """The role's label in the current language."""
    return ROLES.get(role, role) if select_locale() == "zh" else ROLE_LABELS_EN.get(role, role)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(role_label=role_label, current_locale=select_locale)


LANGUAGE_NAMES = {"zh": _l("中文"), "en": "English"}
