"""Operations: instances the timer worker gave up on and e-mails it could not send
(administrators), and tasks waiting to be reassigned after a disqualification (duty officers)."""
from web.ops import views  # noqa: F401  (their routes register on bp)
from web.ops.blueprint import bp  # noqa: F401
