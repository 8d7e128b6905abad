"""The Flask reference app: an app factory, one blueprint per concern, Flask-SQLAlchemy."""

from flask import Flask
from fwbench_common import config

from .extensions import db


def create_app(profile=None, database_url=None) -> Flask:
    """Builds the app for `profile` ("minimal" | "standard"; default FWBENCH_PROFILE) on
    `database_url` (default DATABASE_URL, else <repo>/var/fwbench.db)."""
    app = Flask(__name__)
    app.config.from_object("benchapp.settings.Base")
    app.config["FWBENCH_PROFILE"] = profile or config.profile()
    app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"] = (
        config.sqlalchemy_database(database_url or config.database_url())
    )
    db.init_app(app)
    if app.config["FWBENCH_PROFILE"] == "standard":
        from .standard import init_standard

        init_standard(app)

    from .api import api
    from .bench import bench
    from .catalog import catalog

    app.register_blueprint(bench)
    app.register_blueprint(api, url_prefix="/api")
    app.register_blueprint(catalog)  # registers /r/<int:group>/items/<slug> last
    return app

