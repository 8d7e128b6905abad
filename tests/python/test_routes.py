"""Route registration and the standard profile's extras, per framework."""

import json
import subprocess
import sys

import pytest

import harness
from conftest import FRAMEWORKS

ROUTE_LISTERS = {
    # Prints the registered URL patterns in registration order.
    "flask": "import wsgi; print(json.dumps([r.rule for r in wsgi.app.url_map.iter_rules()]))",
    "django": ("import django; django.setup(); from django.urls import get_resolver; "
               "print(json.dumps([str(p.pattern) for p in get_resolver().url_patterns[0]"
               ".url_patterns]))"),
}


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_route_table_is_registered_last_after_many(framework, contract, database_url):
    entry = harness.load_frameworks()[framework]
    route = next(r for r in contract["routes"] if "min_registered_routes" in r)
    env = dict(entry["env"], FWBENCH_PROFILE="minimal", DATABASE_URL=database_url,
               PYTHONPATH=":".join(entry["sys_path"]))
    out = subprocess.run([sys.executable, "-c", "import json; " + ROUTE_LISTERS[framework]],
                         cwd=entry["dir"], env=env, check=True,
                         capture_output=True, text=True).stdout
    patterns = json.loads(out)
    assert len(patterns) >= route["min_registered_routes"]
    last = patterns[-1].lstrip("/").replace("<str:slug>", "<slug>")
    assert last == route["path"].lstrip("/")


def test_flask_standard_profile_enforces_csrf_except_on_the_api(database_url):
    """Flask's test client on a form route added for the test: CSRFProtect refuses a POST
    without a token (400) in standard, not in minimal; the API blueprint is exempt."""
    sys.path.insert(0, str(harness.APPS / "flask"))
    from benchapp import create_app

    for profile, form_status in (("standard", 400), ("minimal", 200)):
        app = create_app(profile, database_url)
        app.add_url_rule("/test-form", "test_form", lambda: "ok", methods=["POST"])
        client = app.test_client()
        assert client.post("/test-form").status_code == form_status
        order = {"customer": "Ada", "items": [{"sku": "A-1", "qty": 1, "unit_price": "1.00"}]}
        assert client.post("/api/orders", json=order).status_code == 201


def test_django_standard_profile_enforces_csrf(app_workers):
    """CsrfViewMiddleware refuses a POST without a token (403) before the view runs; with the
    minimal MIDDLEWARE the same POST reaches the view, which allows only GET (405)."""
    standard = app_workers("django", "standard").request("POST", "/fortunes")
    assert standard.status == 403 and b"CSRF" in standard.body
    assert app_workers("django", "minimal").request("POST", "/fortunes").status == 405
