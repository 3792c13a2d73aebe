"""What deploying a bundle would change, before it is deployed: the modeler's confirmation.

Each process of the bundle is compared with its running (latest) version by the same diff the
migration page shows (`workflow_migration.diff_specs`). Nothing is stored.
"""
from dataclasses import dataclass

from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.uow import read_only
from engine.workflow.bundle import parse
from engine.workflow.versions import latest_version, specs_for
from engine.workflow.workflow_migration import ProcessDiff, SpecDiffs, diff_specs, process_diff

FIRST, CHANGED, UNCHANGED = "first", "changed", "unchanged"


@dataclass(frozen=True)
class ProcessPreview:
    """One process of the bundle: its running version (None: never deployed) and the diff."""

    key: str
    name: str
    running_id: int | None
    running: int | None
    status: str
    processes: list[ProcessDiff]


def preview(session: Session, files: dict[str, str]) -> list[ProcessPreview]:
    """Validate `files` (BundleInvalid as a deploy would) and diff each process against its
    running version."""
    bundle = parse(files)
    diffs, result = SpecDiffs(), []
    for key in sorted(bundle.specs):
        spec, deps = bundle.specs[key]
        name = spec.description or key
        try:
            with read_only(session):
                running = latest_version(session, key)
        except NotFound:
            result.append(ProcessPreview(key, name, None, None, FIRST,
                                         [process_diff(key, None, spec, diffs)]))
            continue
        if running.checksum == bundle.checksum(key):
            result.append(ProcessPreview(key, name, running.id, running.number, UNCHANGED, []))
            continue
        found = [d for d in diff_specs(specs_for(running), (spec, deps), diffs)
                 if d.added or d.removed or d.changed]
        result.append(ProcessPreview(key, name, running.id, running.number, CHANGED, found))
    return result
