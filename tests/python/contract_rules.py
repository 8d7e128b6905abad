"""The Python interpretation of apps/CONTRACT.md: checks one response against one case.

check_case() returns the list of failures (empty when the response passes), each naming the
rule, so a test prints what differs. Headers the contract marks set_by "server" are skipped:
in-process there is no server.
"""

import html
import json
import re
from html.parser import HTMLParser

import harness  # noqa: F401  (first: loads apps/dbtool.py as dbtool)

import dbtool  # noqa: E402


def check_case(contract: dict, profile: str, case: dict, resp, database_url: str) -> list:
    expect = case["expect"]
    failures = []
    if resp.status != expect["status"]:
        failures.append(f"status: expected {expect['status']}, got {resp.status}: "
                        f"{resp.body[:300]!r}")
        return failures
    failures += check_headers(contract, profile, resp)
    if "content_type" in expect and resp.header("Content-Type") != expect["content_type"]:
        failures.append(f"content_type: expected {expect['content_type']!r}, "
                        f"got {resp.header('Content-Type')!r}")
    if "body" in expect:
        failures += check_body(contract, expect["body"], resp.body, database_url)
    return failures


def check_headers(contract: dict, profile: str, resp) -> list:
    failures = []
    rules = [r for r in contract["common"]["headers"] if r.get("set_by") != "server"]
    rules += contract["profiles"][profile]["headers"]
    for rule in rules:
        value = resp.header(rule["name"])
        if rule["rule"] == "present" and not value:
            failures.append(f"header {rule['name']}: missing")
        elif rule["rule"] == "equals" and value != rule["value"]:
            failures.append(f"header {rule['name']}: expected {rule['value']!r}, got {value!r}")
        elif rule["rule"] not in ("present", "equals"):
            failures.append(f"header {rule['name']}: unknown rule {rule['rule']!r}")
    for name in contract["profiles"][profile]["absent_headers"]:
        if resp.header(name) is not None:
            failures.append(f"header {name}: must be absent in profile {profile}")
    if contract["common"]["framing"] == "content-length":
        length = resp.header("Content-Length")
        if length is None or resp.header("Transfer-Encoding") is not None:
            failures.append(f"framing: expected Content-Length, got Content-Length={length!r} "
                            f"Transfer-Encoding={resp.header('Transfer-Encoding')!r}")
        elif int(length) != len(resp.body):
            failures.append(f"framing: Content-Length {length} != body length {len(resp.body)}")
    return failures


def check_body(contract: dict, rule: dict, body: bytes, database_url: str) -> list:
    kind = rule["kind"]
    if kind == "equals":
        text = body.decode("utf-8", "replace")
        return [] if text == rule["text"] else [f"equals: expected {rule['text']!r}, got {text!r}"]
    if kind == "fortunes_table":
        return check_fortunes(contract, rule, body)
    if kind == "html_equals":
        return check_html_equals(rule, body)
    try:
        value = json.loads(body)
    except ValueError as err:
        return [f"{kind}: body is not JSON ({err}): {body[:200]!r}"]
    if kind == "json_equals":
        return [] if value == rule["value"] else [f"json_equals: expected {rule['value']}, got {value}"]
    if kind == "world_object":
        return check_world(contract, value, "world_object")
    if kind in ("world_list", "updates_persisted"):
        failures = check_world_list(contract, value, rule["count"], kind)
        if kind == "updates_persisted" and not failures:
            failures = check_persisted(value, database_url)
        return failures
    if kind == "error_names_field":
        field = value.get("error", {}).get("field") if isinstance(value, dict) else None
        if field != rule["field"]:
            return [f"error_names_field: expected error.field {rule['field']!r}, got {value}"]
        return []
    return [f"unknown body rule {kind!r}"]


def check_world(contract: dict, value, kind: str) -> list:
    world = contract["world"]
    if not isinstance(value, dict) or set(value) != {"id", "randomNumber"}:
        return [f"{kind}: expected an object with exactly id and randomNumber, got {value}"]
    wid, number = value["id"], value["randomNumber"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (wid, number)):
        return [f"{kind}: id and randomNumber must be integers, got {value}"]
    if not world["id_min"] <= wid <= world["id_max"]:
        return [f"{kind}: id {wid} outside {world['id_min']}..{world['id_max']}"]
    if not world["random_min"] <= number <= world["random_max"]:
        return [f"{kind}: randomNumber {number} outside {world['random_min']}..{world['random_max']}"]
    return []


def check_world_list(contract: dict, value, count: int, kind: str) -> list:
    if not isinstance(value, list):
        return [f"{kind}: expected a JSON array, got {type(value).__name__}"]
    if len(value) != count:
        return [f"{kind}: expected {count} rows, got {len(value)}"]
    return [f for item in value for f in check_world(contract, item, kind)]


def check_persisted(rows: list, database_url: str) -> list:
    stored = dbtool.read_worlds(database_url, [row["id"] for row in rows])
    return [f"updates_persisted: id {row['id']} returned randomNumber {row['randomNumber']}, "
            f"database has {stored.get(row['id'])}"
            for row in rows if stored.get(row["id"]) != row["randomNumber"]]


def check_escaping(kind: str, rule: dict, text: str) -> list:
    """A rule's must_contain / must_not_contain strings against the raw body."""
    failures = [f"{kind}: must contain {s!r} (escaping)" for s in rule.get("must_contain", [])
                if s not in text]
    return failures + [f"{kind}: must not contain {s!r} (escaping)"
                       for s in rule.get("must_not_contain", []) if s in text]


def check_fortunes(contract: dict, rule: dict, body: bytes) -> list:
    text = body.decode("utf-8")
    failures = check_escaping("fortunes_table", rule, text)
    fortunes = contract["fortunes"]
    expected = fortunes["html_before_rows"] + "".join(
        fortunes["row_template"].format(id=fid, message=message)
        for fid, message in fortunes["expected_table"]
    ) + fortunes["html_after_rows"]
    got = html.unescape(re.sub(r">\s+<", "><", text.strip()))
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(got, expected)) if a != b),
                  min(len(got), len(expected)))
        failures.append(f"fortunes_table: differs at char {at}: expected "
                        f"{expected[max(0, at - 40):at + 60]!r}, got {got[max(0, at - 40):at + 60]!r}")
    return failures


class _HtmlTokens(HTMLParser):
    """CONTRACT.md's HTML normalisation (html_equals), as src/verify/html_normalise.cc does it:
    tags lower-cased with attributes as name="value" (value entity-decoded, re-escaped),
    comments dropped, texts entity-decoded, whitespace runs collapsed, trimmed, re-escaped,
    empty texts dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens, self._text = [], ""

    def flush(self):
        text = re.sub(r"[ \t\n\r\f]+", " ", self._text).strip()
        if text:
            self.tokens.append(html.escape(text))
        self._text = ""

    def handle_data(self, data):
        self._text += data

    def handle_starttag(self, tag, attrs):
        self.flush()
        self.tokens.append("<" + tag + "".join(
            f" {name}" if value is None else f' {name}="{html.escape(value)}"'
            for name, value in attrs) + ">")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        self.flush()
        self.tokens.append(f"</{tag}>")

    def handle_decl(self, decl):
        self.flush()
        self.tokens.append("<!" + re.sub(r"\s+", " ", decl.lower()) + ">")

    def handle_comment(self, data):
        self.flush()


def html_tokens(text: str) -> list:
    parser = _HtmlTokens()
    parser.feed(text)
    parser.close()
    parser.flush()
    return parser.tokens


def check_html_equals(rule: dict, body: bytes) -> list:
    text = body.decode("utf-8")
    failures = check_escaping("html_equals", rule, text)
    expected = html_tokens((harness.APPS / rule["expected_file"]).read_text(encoding="utf-8"))
    got = html_tokens(text)
    if got != expected:
        at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b),
                  min(len(got), len(expected)))
        failures.append(f"html_equals: token {at} differs from {rule['expected_file']}: expected "
                        f"{expected[at] if at < len(expected) else 'the end'!r}, got "
                        f"{got[at] if at < len(got) else 'the end'!r} (after "
                        f"{''.join(expected[max(0, at - 4):at])[-80:]!r})")
    return failures
