"""The access policy: one table of capabilities, the roles that hold them, and standing.

Every use case asks `require(actor, capability)` (or `can`); the web layer's decorators and
templates ask the same table, so "may this person do this?" has one answer everywhere. A
person not in good standing (disqualified, disabled) keeps only what needs no standing:
reading their own record.
"""
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.actor import Actor
from engine.errors import N_, NotAllowed
from engine.models import ACTIVE, User
from engine.statements import driver, user_account

SYSTEM = "system"  # the timer worker and engine-internal steps
# Where work taken from someone waits for a person who may hand it on (see REASSIGN).
REASSIGNMENT_QUEUE_ROLE = "duty_officer"


@dataclass(frozen=True)
class Capability:
    roles: frozenset[str]
    needs_standing: bool = True
    refusal: str = N_("您无权执行此操作")


def _cap(roles: str, refusal: str, needs_standing: bool = True) -> Capability:
    return Capability(frozenset(roles.split()), needs_standing, refusal)


POLICY: dict[str, Capability] = {
    # work
    "submit_consultation": _cap("citizen", "只有咨询人可以提交咨询"),
    # claim / complete a task: any role may have a lane; which tasks is the task's own rule
    "work_tasks": _cap("citizen lawyer staff duty_officer expert supervisor designer admin",
                       "您无权处理此任务"),
    "task_inbox": _cap("lawyer staff duty_officer expert", "无待办任务"),  # the inbox is home
    "reassign": _cap("duty_officer admin", "只有值班人员可以改派任务"),
    "sanction": _cap("supervisor", "只有网络监督人员可以作出监督处理"),
    "review_answers": _cap("supervisor", "只有网络监督人员可以审查解答"),
    # reading
    "read_all_consultations": _cap("duty_officer supervisor admin", "无权查看"),
    "read_board": _cap("duty_officer supervisor admin", "只有值班人员和监督人员可以查看咨询看板"),
    "read_reports": _cap("duty_officer supervisor admin", "无权查看统计报表"),
    "read_supervision": _cap("supervisor admin", "只有网络监督人员和系统管理员可以查看"),
    "read_audit": _cap("supervisor admin", "只有网络监督人员和系统管理员可以查看审计日志"),
    "read_lawyer_record": _cap("duty_officer supervisor admin", "无权查看"),
    "read_contact": _cap("duty_officer supervisor admin", "无权查看联系方式"),
    "read_instances": _cap("admin designer supervisor duty_officer", "无权查看流程实例"),
    "read_own_record": _cap("lawyer", "无权查看", needs_standing=False),
    "read_own_answers": _cap("lawyer expert", "无权查看", needs_standing=False),
    # processes and the system
    "design": _cap("designer", "只有流程设计人员可以编辑和部署流程"),
    "deploy": _cap("designer", "只有流程设计人员可以部署流程"),
    "read_versions": _cap("designer admin", "无权查看流程版本"),
    "migrate": _cap("admin", "只有系统管理员可以迁移流程实例"),
    "retry_incident": _cap("admin", "只有系统管理员可以重试故障实例"),
    "read_mail_failures": _cap("admin", "只有系统管理员可以查看发送失败的邮件"),
    "manage_users": _cap("admin", "只有系统管理员可以管理用户"),
    "manage_institutions": _cap("admin", "只有系统管理员可以管理驻场机构"),
}


def in_standing(actor: Actor) -> bool:
    """Active, as far as the actor's own record (read when the actor was made) says."""
    return actor.role == SYSTEM or actor.status == ACTIVE


def can(actor: Actor | None, capability: str) -> bool:
    """Whether the actor holds the capability: the right role, and in good standing when the
    capability needs it. The system actor holds every capability."""
    if actor is None:
        return False
    if actor.role == SYSTEM:
        return True
    rule = POLICY[capability]
    return actor.role in rule.roles and (in_standing(actor) or not rule.needs_standing)


def require(actor: Actor | None, capability: str) -> None:
    """Raise NotAllowed (with the table's message) unless the actor holds the capability."""
    if not can(actor, capability):
        message = POLICY[capability].refusal
        if actor is not None and actor.role in POLICY[capability].roles:
            message = N_("您的账号已停用或已被取消资格，不能办理此事项")
        raise NotAllowed(message)


def user_in_standing(session: Session, user_id: int | None) -> bool:
    """Read now, in the caller's transaction: the user is active, and so is their institution
    (if they belong to one): who may be given work."""
    if user_id is None:
        return False
    rows = driver.fetch(session, user_account.STANDING, {"user_id": user_id})
    row = rows[0] if rows else None
    return row is not None and row.status == ACTIVE and row.active is not False


def require_standing(session: Session, actor: Actor) -> None:
    """The actor's own standing, read now (the system actor always has it): checked at the
    moment of every action, not at login. (A withdrawn institution is the diagrams' concern:
    its members finish or refuse what they hold, with the process's own message.)"""
    if actor.role != SYSTEM:
        require_status(actor, session.scalar(select(User.status).where(User.id == actor.id)))


def require_status(actor: Actor, status: str | None) -> None:
    """Refuse unless `status`, the actor's own as just read, is active (or the actor is the
    system): require_standing for a use case that read the status with its other rows."""
    if actor.role != SYSTEM and status != ACTIVE:
        raise NotAllowed("您的账号已停用或已被取消资格，不能办理此事项")
