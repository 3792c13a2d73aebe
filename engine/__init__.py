"""The workflow engine: SpiffWorkflow and SQLAlchemy, never Flask.

Packages, from the bottom up: the foundation (`errors`, `actor`, `db`, `uow`, `models`,
`audit`), `people`, the generic `workflow` runtime, `notifications`, and the platform's domain
(`consultation`, `oversight`). Importing the engine registers the domain's script helpers with
the runtime, and its listener that tells each new task's holder, so every entry point runs
diagrams with the same helpers and the same notices.
"""
from engine.consultation import helpers as _helpers  # noqa: F401
from engine.consultation import task_notices as _task_notices  # noqa: F401
