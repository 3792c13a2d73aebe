"""Role keys, their Chinese labels, and who may see citizens' contact details."""

ROLES: dict[str, str] = {
    "citizen": "咨询人",
    "lawyer": "驻场律师",
    "staff": "驻场机构人员",
    "duty_officer": "值班人员",
    "expert": "专家组成员",
    "supervisor": "网络监督人员",
    "designer": "流程设计人员",
    "admin": "系统管理员",
}
LABEL_TO_ROLE = {label: key for key, label in ROLES.items()}
SEES_CONTACT = frozenset({"duty_officer", "supervisor", "admin"})
# Citizens' contact details: never shown to lawyers and staff (no offline solicitation).
CONTACT_FIELDS = frozenset({"contact_phone", "phone", "email", "contact_email", "wechat"})


def role_for_lane(lane: str | None) -> str | None:
    """A lane's name is a role key or its Chinese label; None when it is neither."""
    if lane is None:
        return None
    lane = lane.strip()
    if lane in ROLES:
        return lane
    return LABEL_TO_ROLE.get(lane)
