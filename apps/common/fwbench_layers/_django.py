"""Django boundaries (bench/layers/README.md, section Django)."""

import django.core.serializers.json
import django.db.backends.utils
import django.db.models.manager
import django.db.models.query
import django.db.transaction
import django.http.response
import django.template.backends.django
from django.db import connections

from . import call_marked, mark, mark_attr


def install(handler):
    """`handler` is the WSGIHandler get_wsgi_application() returned."""
    # routing: resolving the path against the URLconf.
    mark_attr(handler, "resolve_request", "routing")
    # middleware: the middleware chain (each middleware's __call__, process_view,
    # process_exception), with routing and the view nested in it.
    mark_attr(handler, "_middleware_chain", "middleware")
    # view: the callback _get_response calls, as make_view_atomic hands it back.
    make_view_atomic = handler.make_view_atomic
    views = {}

    def marked_view(view):
        wrapped = views.get(view)
        if wrapped is None:
            wrapped = views[view] = mark(make_view_atomic(view), "view")
        return wrapped

    handler.make_view_atomic = marked_view
    # template: the template backend's render (context processors included).
    mark_attr(django.template.backends.django.Template, "render", "template")
    # response: building HttpResponse / JsonResponse objects (JSON encoding nested in it).
    mark_attr(django.http.response.HttpResponse, "__init__", "response")
    mark_attr(django.http.response.JsonResponse, "__init__", "response")
    # serialization: the JSON encoder JsonResponse uses.
    django.core.serializers.json.DjangoJSONEncoder.encode = mark(
        django.core.serializers.json.DjangoJSONEncoder.encode, "serialization"
    )
    _install_orm()
    return mark(handler, "adapter")


def _install_orm():
    # orm: building querysets and running them (row mapping included), bulk_update, atomic.
    mark_attr(django.db.models.manager.BaseManager, "get_queryset", "orm")
    query_set = django.db.models.query.QuerySet
    for name in ("get", "all", "filter", "_fetch_all", "bulk_update"):
        mark_attr(query_set, name, "orm")
    for name in ("__enter__", "__exit__"):
        mark_attr(django.db.transaction.Atomic, name, "orm")
    # db: execute/executemany through the public execute_wrapper hook, fetching rows from the
    # DB-API cursor, and the DB-API commit/rollback.
    cursor_wrapper = django.db.backends.utils.CursorWrapper
    for name in ("fetchone", "fetchmany", "fetchall"):
        # CursorWrapper hands these out through __getattr__ (wrapped for error translation);
        # a class attribute doing the same gives them a layer.
        setattr(cursor_wrapper, name, mark(_forwarder(name), "db"))
    connection = connections["default"]
    connection.execute_wrappers.append(call_marked("db"))
    for name in ("_commit", "_rollback"):
        mark_attr(connection, name, "db")


def _forwarder(name):
    def forward(self, *args):
        return self.__getattr__(name)(*args)

    forward.__name__ = name
    return forward
