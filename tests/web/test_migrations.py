"""The Alembic migrations build exactly the schema the models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from engine.models import Base
from web import create_app
from web.extensions import db


def test_upgrade_head_matches_models_and_downgrades_cleanly(app_config):
    app = create_app(app_config)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, Base.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_init_db_command_creates_the_schema(app_config):
    app = create_app(app_config)
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "latest schema" in result.output
    with app.app_context():
        assert "consultation" in inspect(db.engine).get_table_names()
        db.engine.dispose()
