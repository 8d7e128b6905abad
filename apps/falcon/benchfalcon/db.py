"""The database: one engine and session factory per app, and the middleware that gives each
request that needs it a session of its own (`req.context.session`), the pattern Falcon's
documentation shows for SQLAlchemy (the FAQ's session-manager middleware, falcon-sqla)."""

from fwbench_common import config
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker


def make_session_factory(database_url=None) -> sessionmaker:
    """A session factory on a pooled engine (QueuePool, as Flask-SQLAlchemy's) for
    `database_url` (default DATABASE_URL, else <repo>/var/fwbench.db)."""
    url, options = config.sqlalchemy_database(database_url or config.database_url())
    return sessionmaker(bind=create_engine(url, **options))


class SQLAlchemySessionManager:
    """Opens a session for each request routed to a resource whose `uses_db` is true, as
    `req.context.session`, and closes it after the response, rolling back what a failed
    request left open; closing returns the connection to the pool. Resources commit their own
    writes. Requests to other resources get no session (Flask-SQLAlchemy's scoped session,
    too, is made only on first use)."""

    def __init__(self, session_factory: sessionmaker):
        self._session_factory = session_factory

    def process_resource(self, req, resp, resource, params):
        if getattr(resource, "uses_db", False):
            req.context.session = self._session_factory()

    def process_response(self, req, resp, resource, req_succeeded):
        session = req.context.get("session")
        if session is None:
            return
        if not req_succeeded:
            session.rollback()
        session.close()
