"""Inbox and task pages for lawyers, staff, duty officers and experts."""
from web.tasks import answers, drafts, views  # noqa: F401  (their routes register on bp)
from web.tasks.blueprint import bp  # noqa: F401
