"""Engine test fixtures live in named modules (one per feature) to keep this file small."""
from worker_fixtures import _postgres_database, db_url, people, sessions  # noqa: F401
