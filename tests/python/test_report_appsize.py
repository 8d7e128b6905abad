"""The counting rules of src/report/appsize.py on small inputs with known answers."""
import ast
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from conftest import FRAMEWORKS

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("appsize", ROOT / "src/report/appsize.py")
appsize = importlib.util.module_from_spec(spec)
sys.modules["appsize"] = appsize
spec.loader.exec_module(appsize)


def test_code_lines_skip_comments_blanks_and_docstrings():
    text = '"""Module doc."""\n\n# comment\nimport os\n\n\ndef f():\n    """Doc\n    more."""\n    return (1 +\n            2)\n'
    assert appsize.python_code_lines(text) == 4  # import, def, return over two lines


def concepts(text, settings=False):
    visitor = appsize.ConceptVisitor(lambda m: m.split(".")[0] in {"flask", "django"}, settings)
    visitor.visit(ast.parse(text))
    return visitor.concepts


def test_concepts_follow_imports_objects_and_classes():
    text = (
        "from flask import Flask, jsonify\n"
        "import os\n"
        "app = Flask(__name__)\n"
        "@app.route('/')\n"
        "def hello():\n"
        "    return jsonify(os.getcwd())\n"
    )
    assert concepts(text) == {"flask.Flask", "flask.jsonify", "flask.Flask().route"}


def test_concepts_count_model_managers_settings_and_dotted_strings():
    text = (
        "from django.db import models\n"
        "class World(models.Model):\n"
        "    n = models.IntegerField()\n"
        "World.objects.get(id=1).save()\n"
        "MIDDLEWARE = ['django.middleware.csrf.CsrfViewMiddleware']\n"
        "_PRIVATE = 1\n"
    )
    assert concepts(text, settings=True) == {
        "django.db.models", "django.db.models.Model", "django.db.models.IntegerField",
        "django.db.models.Model.objects.get", "setting:MIDDLEWARE",
        "django.middleware.csrf.CsrfViewMiddleware"}


def test_template_concepts():
    text = "{% extends 'base.html' %}{% for f in items %}{{ f.message|upper }}{% endfor %}"
    assert appsize.template_concepts(text) == {
        "template-tag:extends", "template-tag:for", "template-filter:upper"}


def test_hello_worlds_answer_through_wsgi():
    for name in ("flask", "falcon"):  # django's settings.configure is once per process
        module = appsize.load_module(ROOT / "src/report/hello" / f"{name}_hello.py")
        status, _, body = appsize.wsgi_call(module.app)
        assert (status, body) == (200, b"Hello, World!")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_framework_has_its_report_evidence(framework):
    """What the report needs per framework beyond the catalogue: a facts file, a hello-world
    and a new-project security probe. Without them whole matrix measures lose their data, so
    a framework of the catalogue that lacks one fails here instead."""
    facts = ROOT / "apps" / framework / "facts.json"
    assert facts.is_file(), f"{framework}: no {facts.relative_to(ROOT)}"
    assert json.loads(facts.read_text())["framework"] == framework
    hello = ROOT / "src/report/hello" / f"{framework}_hello.py"
    assert hello.is_file(), f"{framework}: no {hello.relative_to(ROOT)}"
    assert framework in appsize.NEW_PROJECTS, f"{framework}: no NEW_PROJECTS probe in appsize.py"


def test_falcon_new_project_protects_nothing_by_default():
    """falcon.App() sends no security header, takes a POST without a token, and has no
    template engine or session of its own."""
    checks = appsize.probe_security("falcon")["checks"]
    assert set(checks) == set(appsize.probe_security("flask")["checks"])
    assert not any(checks.values()), checks


def test_dependency_closure_of_flask():
    deps = appsize.dependency_summary(["Flask"])
    assert {"werkzeug", "jinja2", "itsdangerous", "click", "blinker", "markupsafe"} <= set(
        deps["requires"])
    assert deps["count"] == len(deps["requires"])
    assert deps["install_bytes"] > 0


def test_generated_lines_ignore_whitespace_and_quote_style():
    generated = "import os\nDEBUG = True\nINSTALLED_APPS = [\n    'django.contrib.admin',\n]\n"
    mine = "import os\n\nDEBUG = False\nINSTALLED_APPS = [\n        \"django.contrib.admin\",\n    \"bench\",\n]\n"
    # import os, INSTALLED_APPS = [, the admin line and ] match; DEBUG and "bench" are written.
    assert appsize.generated_line_numbers(mine, generated) == {1, 4, 5, 7}


def test_written_counts_leave_out_scaffolding(tmp_path):
    app = tmp_path / "app"
    app.mkdir()
    settings = app / "settings.py"
    settings.write_text("from django.db import models\nDEBUG = True\nSECRET = 'x'\n")
    views = app / "views.py"
    views.write_text("from django.http import HttpResponse\n")
    scaffold = {settings: "from django.db import models\nDEBUG = True\n"}
    out = appsize.count_tree([settings, views], tmp_path,
                             lambda m: m.split(".")[0] == "django", app, scaffold)
    assert out["code_lines"] == 4
    assert out["written"]["code_lines"] == 2  # SECRET = 'x' and the views import
    assert out["written"]["scaffold_lines"] == 2
    # DEBUG and the models import came from the scaffold; the written setting counts.
    assert out["written"]["concept_names"] == ["django.http.HttpResponse", "setting:SECRET"]
    assert out["written"]["scaffold_files"] == ["app/settings.py"]


def test_django_scaffold_renders_startproject_and_startapp(tmp_path):
    project = tmp_path / "site"
    project.mkdir()
    (project / "settings.py").write_text("")
    (project / "wsgi.py").write_text("")
    app = tmp_path / "shop"
    app.mkdir()
    (app / "apps.py").write_text("")
    scaffold = appsize.django_scaffold(tmp_path)
    assert "ROOT_URLCONF = 'site.urls'" in scaffold[project / "settings.py"]
    assert "class ShopConfig(AppConfig):" in scaffold[app / "apps.py"]
    assert (tmp_path / "manage.py") in scaffold
