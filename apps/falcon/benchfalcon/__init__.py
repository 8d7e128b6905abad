"""The Falcon reference app: an app factory, resource classes, middleware, SQLAlchemy 2."""

import falcon
from fwbench_common import config

from . import api, bench, catalog
from .db import SQLAlchemySessionManager, make_session_factory


def create_app(profile=None, database_url=None) -> falcon.App:
    """Builds the app for `profile` ("minimal" | "standard"; default FWBENCH_PROFILE) on
    `database_url` (default DATABASE_URL, else <repo>/var/fwbench.db)."""
    profile = profile or config.profile()
    middleware = [SQLAlchemySessionManager(make_session_factory(database_url))]
    if profile == "standard":
        from .standard import standard_middleware

        middleware += standard_middleware()
    app = falcon.App(middleware=middleware)
    bench.add_routes(app)
    api.add_routes(app)
    catalog.add_routes(app)  # adds /r/{group}/items/{slug} last
    return app
