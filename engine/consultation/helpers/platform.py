"""General helpers available to every diagram."""
import re
from datetime import UTC, datetime
from functools import lru_cache

from engine.workflow.script_helpers import helper


@helper
def now(ctx) -> str:
    """The current time as an ISO-8601 UTC string."""
    return datetime.now(UTC).isoformat()


@helper
def matches(ctx, text, pattern: str) -> bool:
    """Whether `pattern` (a regular expression kept in a diagram or decision table) occurs in
    `text`; the screening table uses it to look for hints in a question's words."""
    return _compiled(pattern).search(str(text or "")[:MAX_TEXT]) is not None


MAX_TEXT = 20_000  # a question is at most a few thousand characters; never scan more


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)
