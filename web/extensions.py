"""Flask extensions, created unbound here and bound in create_app()."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from engine.db import SESSION_OPTIONS
from engine.models import Base

# The models subclass engine.models.Base directly; sharing its MetaData is enough for sessions
# and Flask-Migrate. (model_class=Base is refused by SQLAlchemy 2.1 because Base carries a
# type_annotation_map, which Flask-SQLAlchemy 3.1 would copy into a second registry.)
db = SQLAlchemy(metadata=Base.metadata, session_options=dict(SESSION_OPTIONS))  # it adds keys
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(get_remote_address)
api = Api()
