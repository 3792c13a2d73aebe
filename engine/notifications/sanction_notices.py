"""Notices about sanctions and reassigned work, written straight to the notification outbox
(with their templates, read in each reader's language)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.errors import N_, Message
from engine.models import Institution, Notification, User, utcnow
from engine.notifications.outbox import stored_texts

SUBJECTS = {
    "warn": N_("北京法网监督警告"),
    "disqualify": N_("您的驻场资格已被取消"),
    "reinstate": N_("您的驻场资格已恢复"),
    "reassignment_needed": N_("有待改派的任务"),
    "task_reassigned": N_("您有新的改派任务"),
    "task_released": N_("本机构有待处理的任务"),
    "handler_released": N_("委托承办人需重新指定"),
}
BODIES = {
    "warn": N_("网络监督人员对您作出警告。理由：{reason}"),
    "disqualify": N_("网络监督人员取消了您的驻场资格，您手中未完成的任务已交值班人员改派。"
                     "您仍可登录查看历史记录。理由：{reason}"),
    "reinstate": N_("网络监督人员恢复了您的驻场资格。理由：{reason}"),
    "reassignment_needed": N_("{count} 项任务因承办律师被取消驻场资格需要改派，请在待办中处理。"),
    "task_reassigned": N_("值班人员将任务「{task}」改派给您，请及时处理。"),
    "task_released": N_("同事认领的任务「{task}」因其资格变更已退回本机构，请及时认领处理。"),
    "handler_released": N_("本机构受理的线下委托原定承办人因资格变更不能承办，请在「{task}」时"
                           "重新指定本机构在岗的承办人。"),
}


def notify(session: Session, user_id: int, kind: str, link: str | None = None,
           business_key: str | None = None, **values) -> None:
    """Queue one notice of `kind` (a key of SUBJECTS) for a user in the caller's transaction."""
    now = utcnow()
    subject, body = SUBJECTS[kind], Message(BODIES[kind], **values)
    session.add(Notification(user_id=user_id, kind=kind, subject=subject, body=str(body),
                             message=stored_texts(subject, body), link=link,
                             business_key=business_key, created_at=now, email_next_at=now))


def active_ids(session: Session, role: str, institution_id: int | None = None) -> list[int]:
    """Active users of a role (of one institution, when given) whose institution, if they
    belong to one, is still resident: who may take the work a notice is about."""
    query = select(User.id).outerjoin(Institution, User.institution_id == Institution.id).where(
        User.role == role, User.status == "active", Institution.active.is_not(False))
    if institution_id is not None:
        query = query.where(User.institution_id == institution_id)
    return list(session.scalars(query.order_by(User.id)))
