"""100 filler resource routes, then /r/{group}/items/{slug} as the last route added."""

import falcon
from fwbench_common import fillers


class ResourceDetail:
    def __init__(self, number: int):
        self.number = number

    def on_get(self, req, resp, pk):
        resp.media = fillers.filler_payload(self.number, pk)


class NonEmptyConverter(falcon.routing.BaseConverter):
    """`{name:str}`: a non-empty segment. A plain `{name}` field also matches an empty one
    (`/r/42/items/`), which Flask's default converter and Django's <str:...> refuse."""

    def convert(self, value):
        return value or None


class GroupItem:
    def on_get(self, req, resp, group, slug):
        resp.media = fillers.route_table_payload(group, slug)


def add_routes(app: falcon.App) -> None:
    app.router_options.converters["str"] = NonEmptyConverter
    # int(min=0): non-negative integers, as Flask's <int:...> and Django's <int:...> accept.
    for number, name in enumerate(fillers.filler_names()):
        app.add_route(f"/api/v1/{name}/{{pk:int(min=0)}}", ResourceDetail(number))
    app.add_route("/r/{group:int(min=0)}/items/{slug:str}", GroupItem())
