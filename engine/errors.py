"""Domain errors. The web layer maps each class to one HTTP status in one place.

Their messages are written in Chinese, the engine's language; the web shows them in the
reader's, from its translation catalogue. A message that is not the first argument of an
error class is marked with N_ (or made with Message, when values fill it in), so that
`make messages` extracts it into the catalogue.
"""
from dataclasses import dataclass


def N_(text: str) -> str:
    """Marks `text` as a message for the translation catalogue; returns it unchanged."""
    return text


# Between the items of a list a message names (the web translates it with the message).
LIST_SEPARATOR = N_("、")


class Message(str):
    """A message filled in from a template: it reads as the filled-in text, and keeps the
    template and its values so that the web can fill in the template's translation. A value
    may be a message itself, or a list of them (written joined by LIST_SEPARATOR)."""

    template: str
    params: dict

    def __new__(cls, template: str, **params):
        shown = {name: LIST_SEPARATOR.join(value) if isinstance(value, list | tuple) else value
                 for name, value in params.items()}
        made = super().__new__(cls, template.format(**shown))
        made.template, made.params = template, params
        return made

    def stored(self) -> dict:
        """The message as JSON data (kept with what it is about, e.g. a notification), so it
        can be read later in the reader's language: `Message.restored` gives it back."""
        return {"template": self.template,
                "params": {name: _stored(value) for name, value in self.params.items()}}

    @classmethod
    def restored(cls, data):
        """A message from `stored()` data (a plain text stays as it is)."""
        if not isinstance(data, dict):
            return data
        return cls(data["template"], **{name: _restored(value)
                                        for name, value in data.get("params", {}).items()})


def _stored(value):
    if isinstance(value, Message):
        return value.stored()
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    return value


def _restored(value):
    if isinstance(value, list):
        return [_restored(item) for item in value]
    return Message.restored(value)


class EngineError(Exception):
    """Base class; `message` is safe to show to the user."""

    def __init__(self, message: str = ""):
        super().__init__(message)
        self.message = message or self.__class__.__doc__ or ""


class NotFound(EngineError):
    """The object does not exist, or the actor may not know that it does."""


class NotAllowed(EngineError):
    """The actor may not do this."""


class TaskConflict(EngineError):
    """The task was completed or changed by someone else; reload and try again."""


class TaskGone(TaskConflict):
    """The task was the actor's to take or do and has left them: `state` says how (claimed
    or completed by `by`, reassigned, withdrawn by the process), `by_you` when they did it."""

    def __init__(self, message: str, state: str, by: str | None = None, by_you: bool = False):
        super().__init__(message)
        self.state, self.by, self.by_you = state, by, by_you


class InvalidInput(EngineError):
    """Bad arguments to a use case; `fields` maps field name to messages."""

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.fields = fields or {}


class InvalidFormData(InvalidInput):
    """The submitted form data does not satisfy the task's form."""


@dataclass(frozen=True)
class BundleProblem:
    """One validation problem in a process bundle."""

    file: str
    element: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}" + (f" [{self.element}]" if self.element else "")
        return f"{where}: {self.reason}"


class BundleInvalid(EngineError):
    """The process bundle failed validation; nothing was stored."""

    def __init__(self, problems: list[BundleProblem]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


class ScriptNotAllowed(EngineError):
    """A diagram script used something the restricted script engine refuses."""


class InstanceFailed(EngineError):
    """A step of the process failed (a script, an expression or a limit): nothing of the
    step was saved. `message` is for the person who acted; `detail` (the element and the
    error) is for administrators; `instance_id` names the instance that became an incident
    (None when the instance was being started, so nothing exists to mark)."""

    def __init__(self, message: str = "", detail: str | None = None,
                 instance_id: int | None = None):
        super().__init__(message)
        self.detail = detail or self.message
        self.instance_id = instance_id


class ScriptLimitExceeded(InstanceFailed):
    """A script or engine step went over its time, loop, size or step budget."""


class NoInstitutionAvailable(EngineError):
    """No other qualified institution can take this offline engagement."""


class MigrationRefused(EngineError):
    """The instance cannot move to the new process version; it is left as it was."""
