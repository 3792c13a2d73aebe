"""Use cases on a person's unsubmitted task input: save, load, discard.

A draft belongs to (instance, BPMN task id, person), so it outlives a reload, a conflict and a
migration that gives the task a new id. Only someone who may act on the task can save or read
one; completing the task discards its drafts (engine.workflow.tasks.complete).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import N_, InvalidInput, Message, NotAllowed
from engine.models import TaskDraft, utcnow
from engine.uow import read_only, transaction
from engine.workflow.tasks import _human_task, may_act

MAX_CHARS = 20000  # the whole draft as JSON; the longest form field allows 5,000


@dataclass(frozen=True)
class Draft:
    """What was typed, and when it was saved."""

    data: dict
    saved_at: datetime


def _actionable(session: Session, task_id: str, actor: Actor):
    h = _human_task(session, task_id, actor)
    if h.state != "ready" or not may_act(h, actor):
        raise NotAllowed("您无权处理此任务")
    return h


def _key(h, actor: Actor):
    return (TaskDraft.instance_id == h.instance_id, TaskDraft.bpmn_id == h.bpmn_id,
            TaskDraft.user_id == actor.id)


def _clean(data) -> dict:
    """Plain field values only (strings, numbers, booleans), never too large."""
    if not isinstance(data, dict):
        raise InvalidInput("草稿格式不正确", {"data": [N_("应为对象")]})
    clean = {str(k)[:100]: v for k, v in data.items()
             if isinstance(v, (str, int, float, bool)) or v is None}
    if sum(len(str(v)) for v in clean.values()) > MAX_CHARS:
        raise InvalidInput("草稿过长", {"data": [Message("最多 {max} 个字符", max=MAX_CHARS)]})
    if any("\x00" in str(v) for v in clean.values()):
        raise InvalidInput("草稿格式不正确", {"data": [N_("包含无效字符")]})
    return clean


def save(session: Session, task_id: str, actor: Actor, data: dict) -> Draft:
    """Keep what `actor` has typed on the task so far (replacing their previous draft)."""
    with transaction(session):
        h = _actionable(session, task_id, actor)  # who may act is told first, then what is wrong
        clean = _clean(data)
        row = session.scalars(select(TaskDraft).where(*_key(h, actor))).first()
        if row is None:
            row = TaskDraft(instance_id=h.instance_id, bpmn_id=h.bpmn_id, user_id=actor.id)
            session.add(row)
        row.task_id, row.data, row.saved_at = h.id, clean, utcnow()
        session.flush()
        return Draft(dict(clean), row.saved_at)


def load(session: Session, task_id: str, actor: Actor) -> Draft | None:
    """The actor's draft for the task, if any (None when they may not act on it)."""
    with read_only(session):
        h = _human_task(session, task_id, actor)
        if h.state != "ready" or not may_act(h, actor):
            return None
        row = session.scalars(select(TaskDraft).where(*_key(h, actor))).first()
        return None if row is None else Draft(dict(row.data), row.saved_at)


def discard(session: Session, task_id: str, actor: Actor) -> None:
    """Throw the actor's draft for the task away."""
    with transaction(session):
        h = _actionable(session, task_id, actor)
        session.execute(delete(TaskDraft).where(*_key(h, actor)))
