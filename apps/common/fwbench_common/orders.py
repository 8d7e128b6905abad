"""POST /api/orders: content-type, size, JSON and field validation, and the computed totals.

Both apps call parse_order() with what their framework gives them and turn OrderError into a
JSON response `{"error": {"field", "message"}}` with OrderError.status.
"""

import json
import re
from decimal import Decimal, InvalidOperation

BODY_LIMIT_BYTES = 1024 * 1024
MAX_ITEMS = 100
MAX_QTY = 1000
MAX_CUSTOMER_CHARS = 200
MAX_UNIT_PRICE = Decimal("1000000")
CENT = Decimal("0.01")
SKU_RE = re.compile(r"[A-Za-z0-9-]{1,32}")
PRICE_RE = re.compile(r"[0-9]+(\.[0-9]{1,2})?")


class OrderError(Exception):
    """A rejected order: HTTP status, the offending field and a human message."""

    def __init__(self, status: int, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.status = status
        self.field = field
        self.message = message

    def as_dict(self) -> dict:
        return {"error": {"field": self.field, "message": self.message}}


def is_json_content_type(content_type) -> bool:
    """application/json or application/*+json, any parameters (e.g. charset)."""
    mimetype = (content_type or "").split(";", 1)[0].strip().lower()
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def parse_order(content_type, content_length, read_body) -> dict:
    """Checks, in order, content type (415), declared size (413), JSON (400) and fields (400);
    returns the normalized order with totals. read_body() returns the raw body bytes and is
    called only after the size check."""
    if not is_json_content_type(content_type):
        raise OrderError(415, "content_type", f"expected application/json, got {content_type!r}")
    if content_length is not None and content_length > BODY_LIMIT_BYTES:
        raise OrderError(413, "body", f"body exceeds {BODY_LIMIT_BYTES} bytes")
    body = read_body()
    if len(body) > BODY_LIMIT_BYTES:
        raise OrderError(413, "body", f"body exceeds {BODY_LIMIT_BYTES} bytes")
    try:
        payload = json.loads(body, parse_float=Decimal)
    except (ValueError, UnicodeDecodeError) as err:
        raise OrderError(400, "body", f"malformed JSON: {err}") from None
    return normalize_order(payload)


def normalize_order(payload) -> dict:
    if not isinstance(payload, dict):
        raise OrderError(400, "body", "expected a JSON object")
    customer = _customer(payload.get("customer"))
    raw_items = payload.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise OrderError(400, "items", "expected a non-empty list")
    if len(raw_items) > MAX_ITEMS:
        raise OrderError(400, "items", f"at most {MAX_ITEMS} items")
    items = [_item(raw, f"items[{i}]") for i, raw in enumerate(raw_items)]
    total = sum((Decimal(item["line_total"]) for item in items), Decimal("0.00"))
    return {
        "customer": customer,
        "items": items,
        "item_count": sum(item["qty"] for item in items),
        "total": _money(total),
    }


def _customer(value) -> str:
    if not isinstance(value, str) or not value.strip():
        raise OrderError(400, "customer", "expected a non-blank string")
    value = value.strip()
    if len(value) > MAX_CUSTOMER_CHARS:
        raise OrderError(400, "customer", f"at most {MAX_CUSTOMER_CHARS} characters")
    return value


def _item(raw, where: str) -> dict:
    if not isinstance(raw, dict):
        raise OrderError(400, where, "expected an object")
    sku = raw.get("sku")
    if not isinstance(sku, str) or not SKU_RE.fullmatch(sku):
        raise OrderError(400, f"{where}.sku", "expected 1-32 letters, digits or '-'")
    qty = raw.get("qty")
    if isinstance(qty, bool) or not isinstance(qty, int) or not 1 <= qty <= MAX_QTY:
        raise OrderError(400, f"{where}.qty", f"expected an integer in 1..{MAX_QTY}")
    price = _unit_price(raw.get("unit_price"), f"{where}.unit_price")
    return {
        "sku": sku.upper(),
        "qty": qty,
        "unit_price": _money(price),
        "line_total": _money(price * qty),
    }


def _unit_price(value, field: str) -> Decimal:
    """A JSON number or a decimal string, 0..1,000,000 with at most 2 decimal places."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and PRICE_RE.fullmatch(value):
        value = Decimal(value)
    if isinstance(value, int):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise OrderError(400, field, "expected a number or a decimal string")
    try:
        exact = value.quantize(CENT) == value
    except InvalidOperation:
        exact = False
    if not exact or not Decimal(0) <= value <= MAX_UNIT_PRICE:
        raise OrderError(400, field, "expected 0..1000000 with at most 2 decimal places")
    return value


def _money(value: Decimal) -> str:
    return str(value.quantize(CENT))
