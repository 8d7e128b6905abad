"""The JSON API: POST /api/orders. Validation is fwbench_common.orders, shared with Django."""

from flask import Blueprint, jsonify, request
from fwbench_common import orders
from werkzeug.exceptions import RequestEntityTooLarge

api = Blueprint("api", __name__)


@api.post("/orders")
def create_order():
    try:
        order = orders.parse_order(request.content_type, request.content_length, request.get_data)
    except orders.OrderError as err:
        return jsonify(err.as_dict()), err.status
    return jsonify(order), 201


@api.errorhandler(RequestEntityTooLarge)
def body_too_large(_err):
    """MAX_CONTENT_LENGTH also stops bodies whose size was not declared up front."""
    err = orders.OrderError(413, "body", f"body exceeds {orders.BODY_LIMIT_BYTES} bytes")
    return jsonify(err.as_dict()), err.status
