"""The doorway from web/ to engine use cases.

Modules are resolved on first use, so the app (login, CLI, health check) starts even while
an engine module is still being written; every call site stays one line, e.g.
`gateway.tasks.claim(db.session, task_id, actor)`.
"""
import importlib
from types import ModuleType


class _LazyModule:
    def __init__(self, name: str):
        self._name = name

    def _module(self) -> ModuleType:
        return importlib.import_module(self._name)

    def __getattr__(self, attr: str):
        return getattr(self._module(), attr)


def available(module: "_LazyModule") -> bool:
    """False while that engine module has not landed yet (pages degrade, not crash)."""
    try:
        module._module()
    except ModuleNotFoundError:
        return False
    return True


tasks = _LazyModule("engine.tasks")
consultations = _LazyModule("engine.consultations")
versions = _LazyModule("engine.versions")
