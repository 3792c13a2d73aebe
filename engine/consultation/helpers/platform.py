"""General helpers available to every diagram."""
from datetime import UTC, datetime
from functools import lru_cache

import regex

from engine.errors import ScriptLimitExceeded
from engine.workflow.script_helpers import helper


@helper
def now(ctx) -> str:
    """The current time as an ISO-8601 UTC string."""
    return datetime.now(UTC).isoformat()


@helper
def matches(ctx, text, pattern: str) -> bool:
    """Whether `pattern` (a regular expression kept in a diagram or decision table) occurs in
    `text`; the screening table uses it to look for hints in a question's words."""
    try:
        found = _compiled(pattern).search(str(text or "")[:MAX_TEXT], timeout=PATTERN_SECONDS)
    except TimeoutError:
        raise ScriptLimitExceeded(
            f"正则表达式匹配超过 {PATTERN_SECONDS:g} 秒",
            detail=f"pattern {pattern[:80]!r} ran over {PATTERN_SECONDS:g} s") from None
    return found is not None


MAX_TEXT = 20_000  # a question is at most a few thousand characters; never scan more
# A designer's pattern can backtrack for ever ("(a+)+$"); the stdlib's re cannot be stopped,
# the `regex` module (same syntax) takes a timeout.
PATTERN_SECONDS = 1.0


@lru_cache(maxsize=256)
def _compiled(pattern: str) -> regex.Pattern:
    return regex.compile(pattern, regex.IGNORECASE)
