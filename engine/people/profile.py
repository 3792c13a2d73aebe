"""A person's own profile: the name and phone they keep between consultations."""
import re

from sqlalchemy.orm import Session

from engine.errors import N_, InvalidInput, Message, NotFound
from engine.models import User
from engine.uow import read_only, transaction

PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


def get_profile(session: Session, user_id: int) -> dict:
    """The user's own name and phone (for the profile page and to prefill forms)."""
    with read_only(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("用户不存在")
        return {"display_name": user.display_name, "phone": user.phone or ""}


def update_profile(session: Session, user_id: int, display_name: str, phone: str) -> None:
    """Change the user's own name and phone; both are checked before anything is written."""
    display_name, phone = (display_name or "").strip(), (phone or "").strip()
    problems = {}
    if not display_name:
        problems["display_name"] = [N_("请输入姓名或称呼")]
    elif len(display_name) > 120:
        problems["display_name"] = [Message("最多 {max} 个字符", max=120)]
    if phone and not PHONE_RE.match(phone):
        problems["phone"] = [N_("请输入有效的电话号码")]
    if problems:
        raise InvalidInput("资料填写有误", problems)
    with transaction(session):
        user = session.get(User, user_id)
        if user is None:
            raise NotFound("用户不存在")
        user.display_name, user.phone = display_name, phone or None


def remember_phone(session: Session, user_id: int, phone: str | None) -> None:
    """Keep the phone a citizen gave on a question, inside the caller's transaction."""
    user = session.get(User, user_id)
    if user is not None and phone and user.phone != phone:
        user.phone = phone
