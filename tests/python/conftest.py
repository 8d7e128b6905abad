"""Fixtures: the contract, a seeded SQLite database, and one app worker per
(framework, profile), started on first use and reaped at the end of the session."""

import os

import pytest

import harness  # first: loads apps/dbtool.py, puts apps/common on sys.path

import dbtool  # noqa: E402

PROFILES = sorted(harness.load_contract()["profiles"])
try:
    FRAMEWORKS = sorted(harness.load_frameworks())
except pytest.skip.Exception as missing:  # no binary: each framework test skips, saying why
    FRAMEWORKS = [pytest.param("(no fwbench)", marks=pytest.mark.skip(reason=missing.msg))]


@pytest.fixture(scope="session")
def contract() -> dict:
    return harness.load_contract()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """A fresh SQLite file, or FWBENCH_TEST_DATABASE_URL (e.g. a scripts/pg cluster; its world
    and fortune tables are recreated) to run the same suite on PostgreSQL."""
    url = os.environ.get("FWBENCH_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'fwbench.db'}"
    dbtool.init(url)
    return url


@pytest.fixture(scope="session")
def app_workers(database_url):
    """get(framework, profile) -> harness.AppWorker; all workers are killed at session end."""
    frameworks = harness.load_frameworks()
    workers = {}

    def get(framework: str, profile: str) -> harness.AppWorker:
        key = (framework, profile)
        if key not in workers:
            workers[key] = harness.start_worker(frameworks[framework], profile, database_url)
        return workers[key]

    yield get
    for worker in workers.values():
        worker.close()
