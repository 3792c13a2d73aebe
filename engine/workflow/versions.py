"""Deploying process bundles as versions, and the per-version spec cache."""
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from threading import Lock

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import N_, BundleInvalid, BundleProblem, InvalidInput, NotFound
from engine.models import ProcessVersion, User
from engine.statements import driver, process_version
from engine.uow import transaction
from engine.workflow import provenance
from engine.workflow.bundle import parse, read_files


@dataclass(frozen=True)
class VersionInfo:
    """A version as lists and deploy results show it; `status` says what a deploy did."""

    id: int
    key: str
    number: int
    name: str
    checksum: str
    deployed_at: datetime
    deployed_by: int | None
    status: str = provenance.UNCHANGED
    source: str = provenance.FILES
    source_note: str = ""
    reason: str = ""
    deployer: str = ""  # the designer's username; empty for the command line
    last_from_files: int | None = None  # on KEPT / REFUSED: the last version from files

    @property
    def created(self) -> bool:
        return self.status == provenance.NEW

    @classmethod
    def of(cls, row: ProcessVersion, status: str = provenance.UNCHANGED, deployer: str = "",
           last_from_files: int | None = None) -> "VersionInfo":
        return cls(row.id, row.key, row.number, row.name, row.checksum, row.deployed_at,
                   row.deployed_by, status, row.source, row.source_note, row.reason, deployer,
                   last_from_files)


def deploy(session: Session, source: list[str | Path] | dict[str, str],
           actor_id: int | None = None, reason: str = "", *, kind: str | None = None,
           note: str = "", force: bool = False) -> list[VersionInfo]:
    """Validate a bundle and store a new version of each process whose files changed.

    `kind` is where the files come from (default: `files` for paths, `modeler` for a dict);
    a deployment from files never replaces a modeler or zip version unless `force` (with a
    reason): see `engine.workflow.provenance`. Refused processes come back with that status.
    """
    files = source if isinstance(source, dict) else read_files(source)
    kind = kind or (provenance.MODELER if isinstance(source, dict) else provenance.FILES)
    if kind not in provenance.SOURCES:
        raise InvalidInput(f"未知的来源 {kind}", {"kind": list(provenance.SOURCES)})
    if force and not reason.strip():
        raise InvalidInput("强制部署必须填写原因", {"reason": [N_("必须填写此项")]})
    bundle = parse(files)
    result = []
    with transaction(session):
        for key in sorted(bundle.specs):
            checksum = bundle.checksum(key)
            latest = _latest(session, key)
            verdict = provenance.judge(session, key, checksum, latest, kind, force)
            if verdict.status != provenance.NEW:
                result.append(VersionInfo.of(latest, verdict.status, _username(
                    session, latest.deployed_by), verdict.last_from_files))
                continue
            result.append(_store(session, bundle, key, latest, actor_id, reason, kind, note))
    return result


def _store(session, bundle, key, latest, actor_id, reason, kind, note) -> VersionInfo:
    spec, checksum = bundle.specs[key][0], bundle.checksum(key)
    files = {n: bundle.files[n] for n in bundle.sources[key]}
    row = ProcessVersion(
        key=key, number=(latest.number + 1) if latest else 1, name=spec.description or key,
        files=files, checksum=checksum, deployed_by=actor_id, reason=reason, source=kind,
        file_checksums=provenance.file_checksums(files), source_note=note[:300])
    session.add(row)
    session.flush()
    _cache_put((key, checksum), bundle.specs[key])
    audit.record(session, "deploy", actor_id, data={
        "key": key, "version": row.number, "checksum": checksum, "files": sorted(row.files),
        "reason": reason, "source": kind, "file_checksums": row.file_checksums,
        "source_note": row.source_note})
    return VersionInfo.of(row, provenance.NEW, _username(session, actor_id))


def _username(session: Session, user_id: int | None) -> str:
    return session.scalar(select(User.username).where(User.id == user_id)) if user_id else ""


def validate(files: dict[str, str]) -> list[BundleProblem]:
    """What deploying these files would refuse; nothing is stored. Empty when they are valid."""
    try:
        parse(files)
    except BundleInvalid as exc:
        return list(exc.problems)
    return []


def _latest(session: Session, key: str) -> ProcessVersion | None:
    return session.scalar(select(ProcessVersion).where(ProcessVersion.key == key)
                          .order_by(ProcessVersion.number.desc()).limit(1))


def latest_version(session: Session, key: str) -> ProcessVersion:
    """The newest version of `key`: one small indexed query, the row itself from the cache."""
    found = driver.read(session, process_version.LATEST_ID, {"key": key})
    version_id = found[0][0] if found else None
    if version_id is None:
        raise NotFound(f"流程 '{key}' 尚未部署")
    return version_of(session, version_id)


def find_version(session: Session, key: str, number: int) -> ProcessVersion:
    """Version `number` of process `key`."""
    row = session.scalar(select(ProcessVersion).where(ProcessVersion.key == key,
                                                      ProcessVersion.number == number))
    if row is None:
        raise NotFound(f"流程 '{key}' 没有版本 {number}")
    return row


def list_versions(session: Session, key: str | None = None) -> list[VersionInfo]:
    """All versions, newest first per key."""
    query = select(ProcessVersion).order_by(ProcessVersion.key, ProcessVersion.number.desc())
    if key is not None:
        query = query.where(ProcessVersion.key == key)
    rows = list(session.scalars(query))
    ids = {r.deployed_by for r in rows if r.deployed_by}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(ids))).all())
    return [VersionInfo.of(r, deployer=names.get(r.deployed_by, "")) for r in rows]


def process_keys(session: Session) -> list[str]:
    return list(session.scalars(select(ProcessVersion.key).group_by(ProcessVersion.key)
                                .order_by(func.min(ProcessVersion.id))))


_cache: dict[tuple[str, str], tuple] = {}
_cache_lock = Lock()


def _cache_put(key: tuple[str, str], specs: tuple) -> None:
    with _cache_lock:
        _cache[key] = specs


_versions: dict[tuple[str, int], ProcessVersion] = {}


def version_of(session: Session, version_id: int) -> ProcessVersion:
    """A version row (immutable once deployed), cached per database."""
    key = (str(session.get_bind().url), version_id)
    row = _versions.get(key)
    if row is None:
        row = session.get(ProcessVersion, version_id)
        if row is None:
            raise NotFound("流程版本不存在")
        session.expunge(row)
        _versions[key] = row
    return row


def specs_for(version: ProcessVersion) -> tuple:
    """(spec, subprocess_specs) of a version, parsed once per process and kept."""
    specs = _cache.get((version.key, version.checksum))
    if specs is None:
        bundle = parse(dict(version.files), validate_schema=False)
        specs = bundle.specs[version.key]
        _cache_put((version.key, version.checksum), specs)
    return specs


def clear_caches() -> None:
    """Forget cached versions and specs (tests that wipe tables call this)."""
    with _cache_lock:
        _cache.clear()
        _versions.clear()
