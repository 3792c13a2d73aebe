"""human_task: the inbox index's Core writes (projection, claim, release, complete) and its
hot reads (the inbox, one task)."""
from sqlalchemy import bindparam, func, insert, or_, select, union_all, update
from sqlalchemy.orm import Session

from engine.errors import TaskConflict
from engine.models import HumanTask, ProcessInstance, TaskDraft, User
from engine.statements.prepared import Prepared

TABLE = HumanTask.__table__
_T = TABLE.c
COLUMNS = (_T.id, _T.bpmn_id, _T.name, _T.role, _T.instance_id, _T.business_key, _T.assignee_id,
           _T.claimed_by, _T.institution_id, _T.created_at, _T.due_at, _T.state, _T.reassign_from)


def _inbox_statement():
    """Three index range scans (assigned to me; open to my role; open to my role in my
    institution) merged: one query with ORs would make SQLite scan every ready task.

    It lists exactly what `may_act` allows: a task waiting for reassignment is no one's to
    claim (duty officers see those in QUEUED)."""
    actor_id, role, inst = bindparam("actor_id"), bindparam("role"), bindparam("institution_id")
    order = (_T.due_at.is_(None), _T.due_at, _T.created_at)
    ready = _T.state == "ready"
    claim_ok = or_(_T.claimed_by.is_(None), _T.claimed_by == actor_id)
    open_to_role = (ready, _T.role == role, _T.assignee_id.is_(None), claim_ok,
                    _T.reassign_from.is_(None))
    parts = [
        select(*COLUMNS).where(ready, _T.assignee_id == actor_id),
        select(*COLUMNS).where(*open_to_role, _T.institution_id.is_(None)),
        select(*COLUMNS).where(*open_to_role, _T.institution_id == inst),
    ]
    limited = [select(q.order_by(*order).limit(bindparam("limit")).subquery()) for q in parts]
    both = union_all(*limited).subquery()
    return (select(both)
            .order_by(both.c.due_at.is_(None), both.c.due_at, both.c.created_at)
            .limit(bindparam("limit")))


# The inbox is the most frequent query (parameters: actor_id, role, institution_id, limit).
INBOX = _inbox_statement()
# Tasks taken from someone that wait in a role's queue for a reassignment (parameter: role).
QUEUED = (select(*COLUMNS).where(_T.state == "ready", _T.reassign_from.is_not(None),
                                 _T.role == bindparam("role"))
          .order_by(_T.due_at.is_(None), _T.due_at, _T.created_at))
BY_ID = select(*COLUMNS).where(_T.id == bindparam("task_id"))
READY_OF_INSTANCE = select(_T.id, _T.due_at).where(
    _T.instance_id == bindparam("instance_id"), _T.state == "ready")
INSERT = insert(TABLE)
SET_DUE = update(TABLE).where(_T.id == bindparam("task_id")).values(due_at=bindparam("due"))
# Claims a ready task nobody has claimed (parameters: task_id, actor_id).
CLAIM = (update(TABLE).where(_T.id == bindparam("task_id"), _T.state == "ready",
                             _T.claimed_by.is_(None)).values(claimed_by=bindparam("actor_id")))
# The hot path's statements, run by engine.statements.driver.
INBOX_DIRECT = Prepared(INBOX)
INSERT_DIRECT = Prepared(INSERT)
SET_DUE_DIRECT = Prepared(SET_DUE)
CANCEL_ONE = Prepared(update(TABLE).where(_T.id == bindparam("task_id"), _T.state == "ready")
                      .values(state="cancelled", completed_at=bindparam("at")))
READY_OF_INSTANCE_DIRECT = Prepared(READY_OF_INSTANCE)
# Completing: the task (still ready), keeping who claimed it (parameters: task_id, actor_id, at).
COMPLETE = Prepared(update(TABLE).where(_T.id == bindparam("task_id"), _T.state == "ready")
                    .values(state="completed", completed_by=bindparam("actor_id"),
                            completed_at=bindparam("at"),
                            claimed_by=func.coalesce(_T.claimed_by, bindparam("actor_id"))))
# Everyone's autosaved input on a step is spent once it is done (parameters: instance_id,
# bpmn_id).
_D = TaskDraft.__table__.c
SPEND_DRAFTS = Prepared(TaskDraft.__table__.delete().where(
    _D.instance_id == bindparam("instance_id"), _D.bpmn_id == bindparam("bpmn_id")))


def _for_completion():
    """The task, its instance row (columns prefixed `pi_`) and the actor's status, in one read
    (parameters: task_id, actor_id)."""
    instance = ProcessInstance.__table__
    status = (select(User.__table__.c.status).where(User.__table__.c.id == bindparam("actor_id"))
              .scalar_subquery().label("actor_status"))
    return (select(*COLUMNS, *(c.label(f"pi_{c.key}") for c in instance.c), status)
            .join_from(TABLE, instance, instance.c.id == _T.instance_id)
            .where(_T.id == bindparam("task_id")))


FOR_COMPLETION = Prepared(_for_completion())
CANCEL = (update(TABLE).where(_T.id.in_(bindparam("ids", expanding=True)))
          .values(state="cancelled", completed_at=bindparam("at")))


def update_ready(session: Session, task_id: str, *where, **values) -> None:
    """Change a task row that must still be ready (and match `where`); else a conflict."""
    result = session.execute(update(TABLE).where(_T.id == task_id, _T.state == "ready", *where)
                             .values(**values))
    if result.rowcount != 1:
        raise TaskConflict("该任务已被他人处理或已变更，请刷新后重试")
