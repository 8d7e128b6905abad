"""Every case of apps/contract.json against every framework of the app catalogue, in every
profile, in-process. Nothing here restates a case: the requests and the rules both come from
fwbench (`check-responses --print-requests`, then `check-responses --in-process`)."""

import pytest

import harness
from conftest import FRAMEWORKS, PROFILES


def _cases():
    try:
        requests = harness.case_requests()
    except pytest.skip.Exception as missing:  # no binary: the test skips, saying why
        return [pytest.param(None, marks=pytest.mark.skip(reason=missing.msg))]
    return [pytest.param(r, id=f"{r['route']}-{r['case']}") for r in requests]


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("request_", _cases())
def test_contract_case(app_workers, contract_checker, framework, profile, request_):
    resp = app_workers(framework, profile).send(request_)
    failures = contract_checker.check(profile, request_["route"], request_["case"], resp)
    assert not failures, "\n".join(failures)
