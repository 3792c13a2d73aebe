"""Notifications in the UI: the header's unread badge, the list, mark one / all read."""
import pytest
from sqlalchemy import select

from engine.models import Notification
from web.extensions import db

# Every test: processes/ deployed, and an app context (the tests use db.session).
pytestmark = pytest.mark.usefixtures("deployed", "app_context")


def _badge(html: str) -> str | None:
    marker = 'class="notif">'
    if marker not in html:
        return None
    tail = html.split(marker, 1)[1].split("</a>", 1)[0]
    return tail.split('">')[-1].split("</span>")[0].strip() if "badge" in tail else "0"


def test_badge_list_and_mark_read(client, login, play, world):
    cid = play.submit()
    lawyer = play.holder(cid)  # "new task" notice for the lawyer
    play.submit(citizen="citizen2")
    login(lawyer)
    mine = db.session.scalars(select(Notification).where(
        Notification.user_id == world.id(lawyer)).order_by(Notification.id.desc())).all()
    assert mine
    html = client.get("/notifications/").get_data(as_text=True)
    assert _badge(html) == str(len(mine))
    assert mine[0].subject in html
    newest = mine[0]
    response = client.post(f"/notifications/{newest.id}/read", data={"next": newest.link})
    assert response.status_code == 303 and response.headers["Location"].endswith(newest.link)
    html = client.get("/notifications/").get_data(as_text=True)
    assert _badge(html) == (str(len(mine) - 1) if len(mine) > 1 else "0")
    client.post("/notifications/read-all")
    assert _badge(client.get("/notifications/").get_data(as_text=True)) == "0"


def test_cannot_mark_someone_elses_notification(client, login, play, world):
    cid = play.submit()
    lawyer = play.holder(cid)
    theirs = db.session.scalar(select(Notification.id).where(
        Notification.user_id == world.id(lawyer)))
    login("citizen2")
    client.post(f"/notifications/{theirs}/read")
    db.session.expire_all()
    assert db.session.get(Notification, theirs).read_at is None


def test_offsite_links_are_not_followed(client, login, play, world):
    play.submit()
    login("citizen1")
    [note] = db.session.scalars(select(Notification).where(
        Notification.user_id == world.id("citizen1"))).all() or [None]
    if note is None:
        note = Notification(user_id=world.id("citizen1"), kind="x", subject="s")
        db.session.add(note)
        db.session.commit()
    response = client.post(f"/notifications/{note.id}/read",
                           data={"next": "//evil.example/"})
    assert response.headers["Location"].endswith("/notifications/")


def test_anonymous_pages_have_no_badge(client):
    assert 'class="notif"' not in client.get("/auth/login").get_data(as_text=True)

