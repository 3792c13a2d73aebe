"""Demo institutions and users for `flask seed-demo`: documented passwords, never for
production (the command refuses `APP_ENV=production`)."""
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import User
from engine.people.users import create_user

DEMO_INSTITUTIONS = ("北京市某某律师事务所", "北京某某法律服务所")
DEMO_USERS = (  # username, role, institution index, display name, categories
    ("lawyer_wang", "lawyer", 0, "王律师", ("labor", "contract")),
    ("lawyer_li", "lawyer", 0, "李律师", ("family", "property")),
    ("lawyer_zhao", "lawyer", 1, "赵律师", ("labor", "family", "consumer")),
    ("staff_chen", "staff", 0, "陈助理", ()),
    ("staff_liu", "staff", 1, "刘助理", ()),
    ("duty_sun", "duty_officer", None, "孙值班员", ()),
    ("duty_zhou", "duty_officer", None, "周值班员", ()),
    ("expert_wu", "expert", None, "吴专家", ("labor", "contract")),
    ("expert_zheng", "expert", None, "郑专家", ("family", "property")),
    ("supervisor_feng", "supervisor", None, "冯监督员", ()),
    ("designer_he", "designer", None, "何设计师", ()),
    ("admin", "admin", None, "系统管理员", ()),
    ("citizen_zhang", "citizen", None, "张先生", ()),
    ("citizen_ma", "citizen", None, "马女士", ()),
)


def demo_password(role: str) -> str:
    """The documented demo password for a role, e.g. demo-lawyer-pass."""
    return f"demo-{role.replace('_', '-')}-pass"


def seed_demo(session: Session) -> list[tuple[str, str, str, str | None]]:
    """Create the demo institutions and users (idempotent); return their logins."""
    logins = []
    for username, role, inst, name, categories in DEMO_USERS:
        institution = DEMO_INSTITUTIONS[inst] if inst is not None else None
        exists = session.scalar(select(User.id).where(User.username == username))
        if exists is None:
            create_user(session, username, role, password=demo_password(role),
                        institution=institution, display_name=name,
                        email=f"{username}@example.org", categories=categories,
                        phone="13800000000" if role == "citizen" else None)
        logins.append((username, demo_password(role), role, institution))
    return logins
