"""Deploying process bundles as versions, and the per-version spec cache."""
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from threading import Lock

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.errors import BundleInvalid, BundleProblem, NotFound
from engine.models import ProcessVersion
from engine.uow import transaction
from engine.workflow.bundle import parse, read_files


@dataclass(frozen=True)
class VersionInfo:
    id: int
    key: str
    number: int
    name: str
    checksum: str
    deployed_at: datetime
    deployed_by: int | None
    created: bool = False

    @classmethod
    def of(cls, row: ProcessVersion, created: bool = False) -> "VersionInfo":
        return cls(row.id, row.key, row.number, row.name, row.checksum, row.deployed_at,
                   row.deployed_by, created)


def deploy(session: Session, source: list[str | Path] | dict[str, str],
           actor_id: int | None = None, reason: str = "") -> list[VersionInfo]:
    """Validate a bundle and store a new version of each process whose files changed."""
    files = source if isinstance(source, dict) else read_files(source)
    bundle = parse(files)
    result = []
    with transaction(session):
        for key in sorted(bundle.specs):
            checksum = bundle.checksum(key)
            latest = _latest(session, key)
            if latest is not None and latest.checksum == checksum:
                result.append(VersionInfo.of(latest))
                continue
            spec = bundle.specs[key][0]
            row = ProcessVersion(
                key=key, number=(latest.number + 1) if latest else 1, name=spec.description or key,
                files={n: files[n] for n in bundle.sources[key]}, checksum=checksum,
                deployed_by=actor_id, reason=reason)
            session.add(row)
            session.flush()
            _cache_put((key, checksum), bundle.specs[key])
            audit.record(session, "deploy", actor_id, data={
                "key": key, "version": row.number, "checksum": checksum,
                "files": sorted(row.files), "reason": reason})
            result.append(VersionInfo.of(row, created=True))
    return result


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


_V = ProcessVersion.__table__.c
_LATEST_ID = select(_V.id).where(_V.key == bindparam("key")).order_by(_V.number.desc()).limit(1)


def latest_version(session: Session, key: str) -> ProcessVersion:
    """The newest version of `key`: one small indexed query, the row itself from the cache."""
    version_id = session.scalar(_LATEST_ID, {"key": key})
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
    return [VersionInfo.of(r) for r in session.scalars(query)]


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
