"""fwbench_common.orders beyond the contract's cases: limits and number forms."""

import json

import pytest

import harness  # noqa: F401  (puts apps/common on sys.path)
from fwbench_common import orders  # noqa: E402


def _order(**item):
    return {"customer": "Ada", "items": [{"sku": "A-1", "qty": 1, "unit_price": "1.00", **item}]}


def _parse(payload, content_type="application/json"):
    body = json.dumps(payload).encode()
    return orders.parse_order(content_type, len(body), lambda: body)


@pytest.mark.parametrize("content_type", ["application/json", "application/vnd.api+json",
                                          "Application/JSON; charset=utf-8"])
def test_json_content_types_accepted(content_type):
    assert _parse(_order(), content_type)["total"] == "1.00"


@pytest.mark.parametrize("item,field", [
    ({"qty": True}, "items[0].qty"), ({"qty": 1001}, "items[0].qty"),
    ({"unit_price": -1}, "items[0].unit_price"), ({"unit_price": 1.005}, "items[0].unit_price"),
    ({"unit_price": "1e3"}, "items[0].unit_price"), ({"unit_price": None}, "items[0].unit_price"),
    ({"sku": "x" * 33}, "items[0].sku"),
])
def test_invalid_items_name_the_field(item, field):
    with pytest.raises(orders.OrderError) as err:
        _parse(_order(**item))
    assert (err.value.status, err.value.field) == (400, field)


def test_declared_size_is_checked_before_reading():
    def read_body():
        raise AssertionError("body read despite its declared size")

    with pytest.raises(orders.OrderError) as err:
        orders.parse_order("application/json", orders.BODY_LIMIT_BYTES + 1, read_body)
    assert (err.value.status, err.value.field) == (413, "body")


def test_totals_are_exact_decimals():
    payload = {"customer": "A", "items": [{"sku": "A", "qty": 3, "unit_price": 0.1},
                                          {"sku": "B", "qty": 7, "unit_price": "0.07"}]}
    assert _parse(payload)["total"] == "0.79"
