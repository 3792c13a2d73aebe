"""Anchors of the audit chain, kept outside the database: one `{id, hmac, time}` JSON line each.

Whoever can write to the database can delete the newest audit rows and leave a valid,
shorter chain. An anchor records the chain's head at a moment, in a file the database's
users cannot reach (append-only, or shipped to a log host). `verify` with the anchors then
requires every anchored row to be present with the anchored HMAC, and the chain to reach the
newest anchor. The worker appends one every few minutes (AnchorSchedule); the `audit anchor`
command appends one on demand.
"""
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from engine.models import utcnow
from engine.statements import audit_event
from engine.uow import read_only


class AnchorFileInvalid(ValueError):
    """A line of the anchor file is not an anchor (the file was damaged or is not one)."""


@dataclass(frozen=True)
class Anchor:
    id: int
    hmac: str
    time: str  # ISO 8601, UTC

    def line(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def head(session: Session) -> Anchor | None:
    """The chain's newest row as an anchor stamped now; None while the log is empty."""
    with read_only(session):
        found = session.execute(audit_event.HEAD).first()
    if found is None:
        return None
    return Anchor(found.id, found.hash, utcnow().isoformat(timespec="seconds"))


def append(path: str | os.PathLike, anchor: Anchor) -> None:
    """Append one line and make it durable before returning."""
    with open(path, "a", encoding="utf-8") as out:
        out.write(anchor.line() + "\n")
        out.flush()
        os.fsync(out.fileno())


def write_anchor(session: Session, path: str | os.PathLike) -> Anchor | None:
    """Append the current head to `path`; None (nothing written) while the log is empty."""
    anchor = head(session)
    if anchor is not None:
        append(path, anchor)
    return anchor


def read_anchors(path: str | os.PathLike) -> list[Anchor]:
    """Every anchor in the file, in file order; a damaged line is an error naming it."""
    anchors = []
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                anchors.append(Anchor(int(item["id"]), str(item["hmac"]), str(item["time"])))
            except (ValueError, KeyError, TypeError) as exc:
                raise AnchorFileInvalid(f"{path}:{number}: not an anchor line") from exc
    return anchors


def check_anchors(anchors: Sequence[Anchor], seen: dict[int, str],
                  last_id: int | None) -> tuple[int, str] | None:
    """(row id, reason) of the first anchor the chain no longer matches, or None.

    `seen` maps the anchored ids found in the chain to their hashes; `last_id` is the chain's
    newest row."""
    if not anchors:
        return None
    newest = max(anchors, key=lambda a: a.id)
    if last_id is None or newest.id > last_id:
        return newest.id, (f"anchored at {newest.time}, but the chain now ends at row "
                           f"{last_id or 'none'}: the newest rows were deleted")
    for anchor in sorted(anchors, key=lambda a: a.id):
        if anchor.id not in seen:
            return anchor.id, f"anchored at {anchor.time}, but the row is gone (deleted)"
        if seen[anchor.id] != anchor.hmac:
            return anchor.id, (f"differs from its anchor of {anchor.time} "
                               "(rows were deleted or replaced)")
    return None


class AnchorSchedule:
    """The worker's timetable: an anchor every `every`, none while the head has not moved."""

    def __init__(self, path: str | os.PathLike, every: timedelta) -> None:
        self.path, self.every = path, every
        self._last_at: datetime | None = None
        self._last_id: int | None = None

    def maybe_write(self, sessions: sessionmaker[Session]) -> Anchor | None:
        """Append the head if an anchor is due and the chain grew; the anchor written, if any."""
        now = utcnow()
        if self._last_at is not None and now - self._last_at < self.every:
            return None
        self._last_at = now  # a failing write waits for the next period, not the next sweep
        with sessions() as session:
            anchor = head(session)
        if anchor is None or anchor.id == self._last_id:
            return None
        append(self.path, anchor)
        self._last_id = anchor.id
        return anchor
