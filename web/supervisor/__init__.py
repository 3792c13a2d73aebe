"""Network supervision: every consultation, the audit log, the review queue, lawyers'
warnings and the SLA reports."""
from web.supervisor import audit, consultations, lawyers, reports, review  # noqa: F401  (their routes register on bp)
from web.supervisor.blueprint import bp  # noqa: F401
