"""100 filler resource routes, then /r/<int:group>/items/<slug> as the last route registered."""

from flask import Blueprint, jsonify
from fwbench_common import fillers

catalog = Blueprint("catalog", __name__)


def resource_detail(resource: int, pk: int):
    return jsonify(fillers.filler_payload(resource, pk))


for number, name in enumerate(fillers.filler_names()):
    catalog.add_url_rule(
        f"/api/v1/{name}/<int:pk>", endpoint=name, view_func=resource_detail,
        defaults={"resource": number},
    )


@catalog.get("/r/<int:group>/items/<slug>")
def group_item(group: int, slug: str):
    return jsonify(fillers.route_table_payload(group, slug))
