"""Helpers the referral diagram calls: choosing an institution, keeping the referral record."""
from datetime import date

from sqlalchemy import func, select

from engine.consultation.helpers.common import as_id, as_ids, audit, consultation
from engine.errors import N_, InvalidInput, NoInstitutionAvailable
from engine.models import Institution, Referral, User, utcnow
from engine.workflow.script_helpers import helper

REFERRAL_STATUSES = frozenset({"requested", "offered", "accepted", "declined", "agreed",
                               "cancelled", "failed"})
OPEN = ("requested", "offered", "accepted")


@helper
def pick_institution(ctx, consultation_id, exclude=None) -> int:
    """Like find_institution, but raises NoInstitutionAvailable when none is left."""
    institution_id = find_institution(ctx, consultation_id, exclude)
    if institution_id is None:
        raise NoInstitutionAvailable("暂无其他具备资质的驻场机构可以承接")
    return institution_id


def _qualified(ctx, institution_id: int) -> bool:
    """Still resident (not withdrawn) and with an active lawyer who can take the work."""
    return ctx.session.scalar(
        select(func.count()).select_from(User).join(Institution)
        .where(User.institution_id == institution_id, User.role == "lawyer",
               User.status == "active", Institution.active.is_(True))) > 0


@helper
def qualified_institution(ctx, consultation_id, institution_id=None, exclude=None) -> int | None:
    """`institution_id` when it can still take the referral, else another qualified one
    (find_institution), else None."""
    institution_id = as_id(institution_id)
    if institution_id is not None and institution_id not in as_ids(exclude) \
            and _qualified(ctx, institution_id):
        return institution_id
    return find_institution(ctx, consultation_id, as_ids(exclude) | {institution_id} - {None})


@helper
def check_institution(ctx, institution_id, field: str) -> None:
    """A field error unless the institution is empty or can still take a referral (a
    withdrawn institution, or one with no active lawyer, cannot)."""
    institution_id = as_id(institution_id)
    if institution_id is not None and not _qualified(ctx, institution_id):
        message = N_("该机构已退出驻场或没有可以承办的律师")
        raise InvalidInput(message, fields={field: [message]})


@helper
def find_institution(ctx, consultation_id, exclude=None) -> int | None:
    """Another qualified institution: one with an active lawyer, the category first, then the
    fewest open referrals, then id; None when every qualified one was tried."""
    row = consultation(ctx, consultation_id)
    excluded = as_ids(exclude)
    lawyers = ctx.session.execute(
        select(User.institution_id, User.categories).join(Institution)
        .where(User.role == "lawyer", User.status == "active", Institution.active.is_(True)))
    expertise: dict[int, bool] = {}
    for institution_id, categories in lawyers:
        if institution_id not in excluded:
            expertise[institution_id] = (expertise.get(institution_id, False)
                                         or row.category in (categories or []))
    if not expertise:
        return None
    load = dict(ctx.session.execute(
        select(Referral.institution_id, func.count()).where(Referral.status.in_(OPEN))
        .group_by(Referral.institution_id)).all())
    return min(expertise, key=lambda i: (not expertise[i], load.get(i, 0), i))


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InvalidInput("日期格式不正确", fields={"signed_on": [N_("格式不正确")]}) from None


@helper
def record_referral(ctx, consultation_id, status: str, institution_id=None, handler_id=None,
                    decline_reason=None, agreement_no=None, signed_on=None) -> int:
    """Create or update this referral's record; empty arguments keep what is stored."""
    if status not in REFERRAL_STATUSES:
        raise InvalidInput(f"未知的委托状态：{status}")
    row = consultation(ctx, consultation_id)
    referral = ctx.session.scalar(select(Referral).where(
        Referral.consultation_id == row.id, Referral.instance_id == ctx.instance.id))
    if referral is None:
        referral = Referral(consultation_id=row.id, instance_id=ctx.instance.id,
                            created_at=utcnow())
        ctx.session.add(referral)
    referral.status, referral.updated_at = status, utcnow()
    changes = {"institution_id": as_id(institution_id), "handler_id": as_id(handler_id),
               "decline_reason": decline_reason or None, "agreement_no": agreement_no or None,
               "signed_on": _date(signed_on)}
    for name, value in changes.items():
        if value is not None:
            setattr(referral, name, value)
    ctx.session.flush()
    audit(ctx, "referral_updated", row, referral_id=referral.id, status=status,
          **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in changes.items()})
    return referral.id
