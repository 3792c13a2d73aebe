"""The consultation process's facts as its deployed diagram states them (never copied here).

The answer deadline is the deadline of the `answer_consultation` task: the timer on the answer
stage that encloses it (`"PT5H"` today); a notice that states another task's deadline (the
call-back's) reads that task's. A consultation follows the version its instance runs
on; a page about no consultation in particular (the welcome page, a new question) follows
the latest version.
"""
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.models import ProcessInstance, ProcessVersion
from engine.uow import read_only
from engine.workflow.process_facts import hours, process_facts
from engine.workflow.versions import latest_version, version_of

PROCESS_KEY = "consultation"
ANSWER_TASK = "answer_consultation"


def deadline_of(version: ProcessVersion) -> timedelta | None:
    """The answer deadline of one version (None if its diagram computes it at run time)."""
    return process_facts(version).deadline(ANSWER_TASK, PROCESS_KEY)


def answer_deadline(session: Session, version_id: int | None = None) -> timedelta | None:
    """The answer deadline of version `version_id`, or of the latest deployed version."""
    return task_deadline(session, ANSWER_TASK, version_id)


def task_deadline(session: Session, task_id: str,
                  version_id: int | None = None) -> timedelta | None:
    """The deadline of user task `task_id` in version `version_id` (else the latest), None
    when the diagram computes it at run time."""
    try:
        version = (latest_version(session, PROCESS_KEY) if version_id is None
                   else version_of(session, version_id))
    except NotFound:
        return None
    return process_facts(version).deadline(task_id, PROCESS_KEY)


def latest_answer_hours(session: Session) -> float | None:
    """Use case: the answer deadline, in hours, that new questions get (the latest version)."""
    with read_only(session):
        return hours(answer_deadline(session))


def instance_deadline(session: Session, instance_id: int | None,
                      task_id: str = ANSWER_TASK) -> timedelta | None:
    """The deadline of a task (the answer, unless told) in the version a consultation's
    instance runs on (else the latest)."""
    version_id = None if instance_id is None else session.scalar(
        select(ProcessInstance.version_id).where(ProcessInstance.id == instance_id))
    return task_deadline(session, task_id, version_id)


def all_deadlines(session: Session) -> tuple[dict[int, timedelta], timedelta | None]:
    """Every deployed version's answer deadline by version id, and the latest version's."""
    ids = list(session.scalars(select(ProcessVersion.id).where(
        ProcessVersion.key == PROCESS_KEY).order_by(ProcessVersion.number)))
    found = {i: deadline_of(version_of(session, i)) for i in ids}
    return ({i: d for i, d in found.items() if d is not None},
            found[ids[-1]] if ids else None)
