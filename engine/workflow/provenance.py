"""Where a version's files came from, and whether deploying files may replace the latest version.

The repository's `processes/` folder and the web modeler both deploy. `make run` deploys the
folder on every start, so a deployment from files must never silently replace what a designer
deployed in the modeler (or from a zip): it creates a version only when the files changed
since they were last deployed from files, and when the latest version came from elsewhere and
differs it refuses that process, unless forced with a reason.
"""
import hashlib
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from engine.models import ProcessVersion, utcnow

FILES, MODELER, ZIP = "files", "modeler", "zip"
SOURCES = (FILES, MODELER, ZIP)
NEW, UNCHANGED, KEPT, REFUSED = "new", "unchanged", "kept", "refused"


def file_checksums(files: dict[str, str]) -> dict[str, str]:
    """{file name: SHA-256 hex of its UTF-8 text}."""
    return {name: hashlib.sha256(text.encode("utf-8")).hexdigest()
            for name, text in sorted(files.items())}


@dataclass(frozen=True)
class Verdict:
    """What deploying a bundle does to one process: `status` is one of NEW, UNCHANGED, KEPT
    (the files did not change since their last deployment, the designer's newer version stays)
    or REFUSED (the files changed and would replace the designer's version)."""

    status: str
    last_from_files: int | None = None  # its version number


def judge(session: Session, key: str, checksum: str, latest: ProcessVersion | None,
          source: str, force: bool) -> Verdict:
    """Decide for one process of a bundle deployed from `source` (see the module docstring).

    "The files' last deployment" is the newest version deployed from files, or found equal to
    the files by a deployment from files (a designer's version exported into the repository).
    """
    if latest is None:
        return Verdict(NEW)
    if latest.checksum == checksum:
        if source == FILES and latest.source != FILES and latest.files_matched_at is None:
            latest.files_matched_at = utcnow()  # the repository has the designer's version
        return Verdict(UNCHANGED)
    if source != FILES or latest.source == FILES or force:
        return Verdict(NEW)
    last = session.scalar(select(ProcessVersion).where(
        ProcessVersion.key == key,
        or_(ProcessVersion.source == FILES, ProcessVersion.files_matched_at.is_not(None)))
        .order_by(ProcessVersion.number.desc()).limit(1))
    if last is not None and last.id == latest.id:
        return Verdict(NEW)  # the files had this version and were edited since: they build on it
    number = last.number if last is not None else None
    if last is not None and last.checksum == checksum:
        return Verdict(KEPT, number)
    return Verdict(REFUSED, number)


def matching_version(rows: list[ProcessVersion], folder_sums: dict[str, str]) -> int | None:
    """The newest of these versions (newest first) whose every file has the same checksum in
    the folder; None when the folder matches none of them."""
    for row in rows:
        sums = row.file_checksums or file_checksums(row.files)
        if sums and all(folder_sums.get(name) == digest for name, digest in sums.items()):
            return row.number
    return None
