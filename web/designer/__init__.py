"""Process designers: versions, the web modeler, drafts, deployment, instance diagrams."""
from web.designer import api, views  # noqa: F401  (their routes register on bp)
from web.designer.blueprint import bp  # noqa: F401
