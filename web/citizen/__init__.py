"""The citizen portal: submit a question, follow it, read and rate the answer, complain."""
from web.citizen import complaints, views  # noqa: F401  (their routes register on bp)
from web.citizen.blueprint import bp  # noqa: F401
