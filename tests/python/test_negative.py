"""The contract checks can fail: the broken apps in fixtures/broken_apps.py each break the
rule they are named after, and the rule's message says so."""

import pytest

import harness

FIXTURES = harness.ROOT / "tests" / "python" / "fixtures"


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
    ("no_escape_app", "cms", "page", "html_equals must_contain: body lacks '&lt;script&gt;'"),
    ("cms_missing_article_app", "cms", "page",
     "expected 'Showing 50 articles' got 'Showing 49 articles'"),
    ("no_clamp_app", "queries", "over_max", "world_list: expected 500 rows, got 501"),
    ("no_clamp_app", "updates", "over_max", "updates_persisted: expected 500 rows, got 501"),
])
def test_broken_app_fails_named_rule(broken, contract_checker, app, route_name, case_name,
                                     rule):
    resp = broken(app).send(harness.case_request(route_name, case_name))
    failures = contract_checker.check("minimal", route_name, case_name, resp)
    assert any(rule in failure for failure in failures), failures


def test_broken_apps_pass_the_rules_they_keep(broken, contract_checker):
    """Each broken app breaks only its own rule: the other route still passes."""
    route, case = "queries", "twenty"
    resp = broken("no_escape_app").send(harness.case_request(route, case))
    assert contract_checker.check("minimal", route, case, resp) == []
    route, case = "fortunes", "table"
    resp = broken("no_clamp_app").send(harness.case_request(route, case))
    assert contract_checker.check("minimal", route, case, resp) == []
    route, case = "cms", "page"
    resp = broken("cms_missing_article_app").send(harness.case_request(route, case))
    failures = contract_checker.check("minimal", route, case, resp)
    assert len(failures) == 1, failures
    assert failures[0].startswith("html_equals: common/cms_page.expected.html: token "), failures
    route, case = "fortunes", "table"
    resp = broken("cms_missing_article_app").send(harness.case_request(route, case))
    assert contract_checker.check("minimal", route, case, resp) == []


def test_header_rules_fail_on_chunked_framing_and_wrong_profile(contract_checker):
    """What Django with an empty MIDDLEWARE would send: no Content-Length. And the standard
    profile's headers checked against a minimal app's response."""
    route, case = "plaintext", "hello"
    chunked = harness.Response(200, [["Content-Type", "text/plain"],
                                     ["Transfer-Encoding", "chunked"]], b"Hello, World!")
    failures = contract_checker.check("minimal", route, case, chunked)
    assert any(f.startswith("framing content-length:") for f in failures), failures
    plain = harness.Response(200, [["Content-Type", "text/plain"], ["Content-Length", "13"]],
                             b"Hello, World!")
    assert contract_checker.check("minimal", route, case, plain) == []
    failures = contract_checker.check("standard", route, case, plain)
    assert any("X-Frame-Options" in f for f in failures), failures
