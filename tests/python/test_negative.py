"""The contract checks can fail: the broken apps in fixtures/broken_apps.py each break the
rule they are named after, and the rule's message says so."""

import pytest

import contract_rules
import harness

FIXTURES = harness.ROOT / "tests" / "python" / "fixtures"


def _case(contract, route_name, case_name):
    route = next(r for r in contract["routes"] if r["name"] == route_name)
    return route, next(c for c in route["cases"] if c["name"] == case_name)


@pytest.fixture(scope="module")
def broken(database_url):
    started = {}

    def get(name):
        if name not in started:
            started[name] = harness.AppWorker(
                f"broken_apps:{name}", [str(FIXTURES)], {"FWBENCH_PROFILE": "minimal",
                                                        "DATABASE_URL": database_url}, harness.ROOT)
        return started[name]

    yield get
    for worker in started.values():
        worker.close()


@pytest.mark.parametrize("app,route_name,case_name,rule", [
    ("no_escape_app", "fortunes", "table", "fortunes_table"),
    ("no_escape_app", "cms", "page", "html_equals: must not contain '<script>'"),
    ("cms_missing_article_app", "cms", "page",
     "expected 'Showing 50 articles', got 'Showing 49 articles'"),
    ("no_clamp_app", "queries", "over_max", "world_list: expected 500 rows, got 501"),
    ("no_clamp_app", "updates", "over_max", "updates_persisted: expected 500 rows, got 501"),
])
def test_broken_app_fails_named_rule(broken, contract, database_url, app, route_name, case_name,
                                     rule):
    route, case = _case(contract, route_name, case_name)
    resp = broken(app).request(route["method"], route["path"], query=case.get("query"))
    failures = contract_rules.check_case(contract, "minimal", case, resp, database_url)
    assert any(rule in failure for failure in failures), failures


def test_broken_apps_pass_the_rules_they_keep(broken, contract, database_url):
    """Each broken app breaks only its own rule: the other route still passes."""
    route, case = _case(contract, "queries", "twenty")
    resp = broken("no_escape_app").request(route["method"], route["path"], query=case["query"])
    assert contract_rules.check_case(contract, "minimal", case, resp, database_url) == []
    route, case = _case(contract, "fortunes", "table")
    resp = broken("no_clamp_app").request(route["method"], route["path"])
    assert contract_rules.check_case(contract, "minimal", case, resp, database_url) == []
    route, case = _case(contract, "cms", "page")
    resp = broken("cms_missing_article_app").request(route["method"], route["path"])
    failures = contract_rules.check_case(contract, "minimal", case, resp, database_url)
    assert len(failures) == 1 and failures[0].startswith("html_equals: token "), failures
    route, case = _case(contract, "fortunes", "table")
    resp = broken("cms_missing_article_app").request(route["method"], route["path"])
    assert contract_rules.check_case(contract, "minimal", case, resp, database_url) == []


def test_header_rules_fail_on_chunked_framing_and_wrong_profile(contract, database_url):
    """What Django with an empty MIDDLEWARE would send: no Content-Length. And the standard
    profile's headers checked against a minimal app's response."""
    route, case = _case(contract, "plaintext", "hello")
    chunked = harness.Response(200, [["Content-Type", "text/plain"],
                                     ["Transfer-Encoding", "chunked"]], b"Hello, World!")
    failures = contract_rules.check_case(contract, "minimal", case, chunked, database_url)
    assert any(f.startswith("framing:") for f in failures), failures
    plain = harness.Response(200, [["Content-Type", "text/plain"], ["Content-Length", "13"]],
                             b"Hello, World!")
    assert contract_rules.check_case(contract, "minimal", case, plain, database_url) == []
    failures = contract_rules.check_case(contract, "standard", case, plain, database_url)
    assert any("X-Frame-Options" in f for f in failures), failures
