"""The process files kept in a folder (the repository's `processes/`) beside the deployed versions:
write a version back into the folder, and say which version the folder's files match."""
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import InvalidInput
from engine.models import ProcessVersion
from engine.uow import read_only
from engine.workflow import provenance
from engine.workflow.versions import find_version, latest_version


def parse_ref(ref: str) -> tuple[str, int | None]:
    """`KEY` or `KEY:VERSION` → (key, number or None for the latest)."""
    key, _, number = ref.partition(":")
    if not key or (number and not number.isdigit()):
        raise InvalidInput(f"无效的版本 '{ref}'：应为 KEY 或 KEY:VERSION", {"version": [ref]})
    return key, int(number) if number else None


def export(session: Session, key: str, number: int | None, folder: str | Path) -> tuple:
    """Write version `number` of `key` (the latest when None) into `folder`, overwriting files
    of the same name. Returns (version number, [paths written])."""
    with read_only(session):
        row = find_version(session, key, number) if number else latest_version(session, key)
        files, number = dict(row.files), row.number
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise InvalidInput(f"{target} 不是文件夹", {"dir": [str(target)]})
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(files.items()):
        path = target / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return number, written


@dataclass(frozen=True)
class FolderMatch:
    """Which deployed version of a process the folder's files are (None: none of them)."""

    key: str
    number: int | None
    latest: int


def folder_matches(session: Session, folder: str | Path) -> dict[str, FolderMatch]:
    """Per deployed process: the newest version whose files all equal the folder's; empty when
    the folder does not exist."""
    folder = Path(folder)
    if not folder.is_dir():
        return {}
    sums = provenance.file_checksums({p.name: p.read_text(encoding="utf-8")
                                      for p in sorted(folder.iterdir())
                                      if p.suffix in (".bpmn", ".dmn") and p.is_file()})
    by_key: dict[str, list] = {}
    with read_only(session):
        for row in session.scalars(select(ProcessVersion).order_by(
                ProcessVersion.key, ProcessVersion.number.desc())):
            by_key.setdefault(row.key, []).append(row)
        return {key: FolderMatch(key, provenance.matching_version(found, sums), found[0].number)
                for key, found in by_key.items()}
