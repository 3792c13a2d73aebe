"""Each user's notifications (the outbox rows) and the unread badge in the header."""
from web.notifications import views  # noqa: F401  (their routes register on bp)
from web.notifications.blueprint import bp  # noqa: F401
