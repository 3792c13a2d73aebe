"""General helpers available to every diagram."""
from datetime import UTC, datetime

from engine.workflow.script_helpers import helper


@helper
def now(ctx) -> str:
    """The current time as an ISO-8601 UTC string."""
    return datetime.now(UTC).isoformat()
