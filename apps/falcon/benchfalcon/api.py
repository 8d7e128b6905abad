"""The JSON API: POST /api/orders. Validation is fwbench_common.orders, shared with the other
apps."""

import falcon
from fwbench_common import orders


class OrdersResource:
    def on_post(self, req, resp):
        try:
            order = orders.parse_order(req.content_type, req.content_length, lambda: _body(req))
        except orders.OrderError as err:
            resp.status = err.status
            resp.media = err.as_dict()
            return
        resp.status = falcon.HTTP_201
        resp.media = order


def _body(req) -> bytes:
    """At most one byte over the limit, so a body whose size was not declared is refused (413)
    without being read whole."""
    return req.bounded_stream.read(orders.BODY_LIMIT_BYTES + 1)


def add_routes(app: falcon.App) -> None:
    app.add_route("/api/orders", OrdersResource())
