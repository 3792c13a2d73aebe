"""The duty officers' board of every open consultation."""
from web.board import views  # noqa: F401  (their routes register on bp)
from web.board.blueprint import bp  # noqa: F401
