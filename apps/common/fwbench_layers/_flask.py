"""Flask / Werkzeug / Flask-SQLAlchemy boundaries (bench/layers/README.md, section Flask)."""

import flask
import flask.ctx
import jinja2
import sqlalchemy.engine.cursor
import sqlalchemy.engine.result
import sqlalchemy.orm.scoping
import werkzeug.wrappers.response

from . import mark, mark_attr


def install(app: flask.Flask):
    # routing: binding the URL map to the request, and matching it.
    mark_attr(app, "create_url_adapter", "routing")
    mark_attr(flask.ctx.RequestContext, "match_request", "routing")
    # middleware: request hooks (before/after_request, teardown) and the session interface.
    for name in ("preprocess_request", "process_response", "do_teardown_request",
                 "do_teardown_appcontext"):
        mark_attr(app, name, "middleware")
    sessions = app.session_interface
    for name in ("open_session", "save_session"):
        setattr(sessions, name, mark(getattr(sessions, name), "middleware"))
    # view: dispatch_request calls the endpoint's view function.
    mark_attr(app, "dispatch_request", "view")
    # template: Jinja2's Template.render, which Flask's render_template calls between the
    # before_render_template and template_rendered signals (the same boundary; receivers on
    # those signals cost more than the layer they mark: bench/layers/README.md).
    mark_attr(jinja2.Template, "render", "template")
    # response: make_response (view return value -> Response), the JSON provider's response,
    # and Werkzeug's Response.__call__ (status line and headers, start_response).
    mark_attr(app, "make_response", "response")
    app.json.response = mark(app.json.response, "response")
    mark_attr(werkzeug.wrappers.response.Response, "__call__", "response")
    # serialization: the JSON provider's dumps.
    app.json.dumps = mark(app.json.dumps, "serialization")
    _install_sqlalchemy(app)
    return mark(app, "adapter")


def _install_sqlalchemy(app):
    ext = app.extensions["sqlalchemy"]
    # orm: the session API the views and the teardown use, and ORM result loading.
    for name in ("get", "execute", "scalars", "scalar", "commit", "rollback", "remove"):
        mark_attr(sqlalchemy.orm.scoping.scoped_session, name, "orm")
    for cls, names in ((sqlalchemy.engine.result.Result, ("all", "scalars", "first", "one")),
                       (sqlalchemy.engine.result.ScalarResult, ("all", "first", "one"))):
        for name in names:
            if name in cls.__dict__:
                mark_attr(cls, name, "orm")
    # db: the DB-API execute, which the dialect's do_execute* methods call (right where
    # SQLAlchemy's before_cursor_execute / after_cursor_execute events fire: listening to those
    # made every request cost about 12% more, since an engine with listeners joins its event
    # dispatcher into each new Connection; bench/layers/README.md), fetching rows from the
    # DB-API cursor, and the DB-API commit/rollback (the pool's reset-on-return too).
    with app.app_context():
        engines = list(ext.engines.values())
    for engine in engines:
        dialect = engine.dialect
        for name in ("do_execute", "do_executemany", "do_execute_no_params", "do_commit",
                     "do_rollback"):
            setattr(dialect, name, mark(getattr(dialect, name), "db"))
    for cls in (sqlalchemy.engine.cursor.CursorFetchStrategy,
                sqlalchemy.engine.cursor.BufferedRowCursorFetchStrategy,
                sqlalchemy.engine.cursor.FullyBufferedCursorFetchStrategy):
        for name in ("fetchone", "fetchmany", "fetchall"):
            if name in cls.__dict__:
                mark_attr(cls, name, "db")
