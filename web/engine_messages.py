"""Engine messages in the reader's language. The engine writes them in Chinese
(engine.errors); the translation catalogue holds their English, found by the message itself
or, for one filled in from a template (engine.errors.Message), by its template. A message the
catalogue does not know is shown as the engine wrote it."""
from flask_babel import gettext

from engine.errors import LIST_SEPARATOR, EngineError, Message


def engine_text(message):
    """One engine message in the request's language."""
    if isinstance(message, Message):  # its values too: a message may hold others
        return gettext(message.template).format(**{
            name: _value(value) for name, value in message.params.items()})
    return gettext(message) if isinstance(message, str) and message else message


def _value(value):
    if isinstance(value, list | tuple):
        return gettext(LIST_SEPARATOR).join(str(engine_text(item)) for item in value)
    return engine_text(value)


def engine_fields(fields):
    """Field errors (lists of messages by field, nested for nested data) in the request's
    language."""
    if isinstance(fields, dict):
        return {name: engine_fields(messages) for name, messages in fields.items()}
    if isinstance(fields, list | tuple):
        return [engine_fields(m) for m in fields]
    return engine_text(fields)


def engine_error(exc: EngineError) -> tuple[str, dict]:
    """An engine error's message and its field errors, in the request's language."""
    return engine_text(exc.message), engine_fields(getattr(exc, "fields", None) or {})
