"""The helpers the platform's diagrams call, registered with the runtime's script registry.

Importing this package registers every helper (`engine/__init__.py` does so, so the web app,
the CLI, the worker and the tests all run diagrams with the same helpers).
"""
from engine.consultation.helpers import (  # noqa: F401  (each module registers its helpers)
    assignment,
    consultation,
    notifications,
    platform,
    referral,
    supervision,
)
