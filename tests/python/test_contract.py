"""Every case of apps/contract.json against every framework in apps/frameworks.json, in
every profile, in-process. Nothing here restates a case: the contract file is the input."""

import pytest

import harness
from conftest import FRAMEWORKS, PROFILES


def _cases():
    for route in harness.load_contract()["routes"]:
        for case in route["cases"]:
            yield pytest.param(route, case, id=f"{route['name']}-{case['name']}")


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("route,case", list(_cases()))
def test_contract_case(app_workers, contract_checker, framework, profile, route, case):
    resp = app_workers(framework, profile).request(
        route["method"], case.get("path", route["path"]), query=case.get("query"),
        headers=case.get("headers"), body=harness.request_body(case),
    )
    failures = contract_checker.check(profile, route, case, resp)
    assert not failures, "\n".join(failures)
