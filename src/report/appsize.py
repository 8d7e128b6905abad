"""fwbench's code-size and footprint counter (writes a fwbench.appsize/1 document).

For every framework of the app catalogue (resolved by `fwbench apps --json`) it measures:
  reference_app   files, code lines and framework concepts the reference app under
                  apps/<framework>/ needs for the shared route contract; `written`: the same
                  counted over what a developer writes (see the counting rules);
  profiles        per profile (FWBENCH_PROFILE): the app's stack (every third-party
                  distribution loaded after building the app and serving GET /json, with its
                  requirements, and their installed size) and the import-and-build time;
  hello_world     the same for src/report/hello/<framework>_hello.py, which is also run once
                  through WSGI to prove it answers "Hello, World!";
  dependencies    the framework distribution's transitive requirements in this venv and the
                  installed size of it all (from each distribution's RECORD);
  app_stack       the same for every third-party distribution the reference app imports;
  import_time_ms  wall time to import the hello-world module and build its WSGI app, in a
                  fresh interpreter, median of --runs runs (the only non-deterministic field);
  security_defaults  what a new project protects out of the box: Flask(__name__), Django
                  with the settings its `startproject` template writes, falcon.App(); probed
                  through WSGI (NEW_PROJECTS: one probe per framework, the only per-framework
                  code here; a framework without one gets security_defaults_error, which the
                  report shows as missing evidence).

Counting rules (the same for every framework):
  code line   a line holding a Python token that is not a comment or a docstring; for
              templates a non-blank line. Migrations are generated: listed, not counted.
  written     what a developer writes: a file a framework command generates (Django's
              startproject and startapp templates, rendered with the project's and app's
              names) counts only its lines that differ from the generated text (difflib
              matching blocks, whitespace and quote style normalized, are generated);
              migrations and files with no written line do not count as files; concepts
              count only from written lines. A framework with no generator (Flask) has
              everything counted as written.
  concept     a distinct framework name the code uses: a name imported from a third-party
              module ("flask.Blueprint"), an attribute of one ("django.db.models.CharField"),
              an attribute of an object made by calling one ("flask.Flask().route"), a dotted
              framework path in a string ("django.middleware.csrf.CsrfViewMiddleware"), a
              setting (an UPPER_CASE name assigned in a settings.py), and a template tag or
              filter.

Usage: python appsize.py --root REPO --out FILE [--runs 7] [--fwbench BINARY]
       (BINARY default: $FWBENCH, else ${FWBENCH_BUILD:-REPO/build}/src/cli/fwbench)
       python appsize.py --probe-security FRAMEWORK   (internal: prints JSON)
"""
import argparse
import ast
import difflib
import functools
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import tokenize
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

SKIP_DIRS = {"__pycache__", "tests", "node_modules", ".pytest_cache"}
SKIP_FILES = {"facts.json"}
CODE_SUFFIXES = {".py", ".html", ".txt", ".cfg", ".ini", ".toml", ".json", ".jinja", ".j2"}


# ---------------------------------------------------------------- code lines

def docstring_lines(tree):
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    return lines


def python_code_lines(text):
    return len(python_code_line_numbers(text))


def python_code_line_numbers(text):
    skip = docstring_lines(ast.parse(text))
    lines = set()
    ignore = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
              tokenize.ENCODING, tokenize.ENDMARKER}
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type in ignore:
            continue
        for line in range(tok.start[0], tok.end[0] + 1):
            if line not in skip:
                lines.add(line)
    return lines


def text_code_lines(text):
    return sum(1 for line in text.splitlines() if line.strip())


# ---------------------------------------------------------------- concepts

class ConceptVisitor(ast.NodeVisitor):
    """Collects framework names used by one module."""

    def __init__(self, is_third_party, settings_module, module="", exports=None, lines=None):
        self.is_third_party = is_third_party
        self.lines = lines  # None: every line counts; else the line numbers whose concepts count
        self.settings_module = settings_module
        self.module = module  # dotted name of this module ("benchapp.bench")
        self.exports = exports or {}  # other local modules' framework bindings
        self.bound = {}  # local name -> qualified framework name
        self.concepts = set()
        self.class_depth = 0

    def add(self, name, node):
        if self.lines is None or getattr(node, "lineno", None) in self.lines:
            self.concepts.add(name)

    def visit_Import(self, node):
        for alias in node.names:
            if self.is_third_party(alias.name):
                self.add(alias.name, node)
                self.bound[(alias.asname or alias.name).split(".")[0]] = \
                    alias.name if alias.asname else alias.name.split(".")[0]

    def visit_ImportFrom(self, node):
        if node.level or (node.module and not self.is_third_party(node.module)):
            # A local module: bind names that stand for framework objects made there
            # (e.g. `from .extensions import db` where db = SQLAlchemy()).
            base = self.module.split(".")[:len(self.module.split(".")) - node.level] \
                if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                qual = self.exports.get(target, {}).get(alias.name)
                if qual:
                    self.bound[alias.asname or alias.name] = qual
            return
        if not node.module:
            return
        for alias in node.names:
            qual = f"{node.module}.{alias.name}"
            self.add(qual, node)
            self.bound[alias.asname or alias.name] = qual

    def qualify(self, node):
        """The framework name an expression stands for, or None."""
        if isinstance(node, ast.Name):
            return self.bound.get(node.id)
        if isinstance(node, ast.Attribute):
            base = self.qualify(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            base = self.qualify(node.func)  # an object made by a framework class or factory
            return f"{base}()" if base else None
        return None  # method-call results are plain values, not new concepts

    def visit_ClassDef(self, node):
        self.generic_visit(node)
        for base in node.bases:  # a class built on a framework class stands for it
            qual = self.qualify(base)
            if qual:
                self.bound[node.name] = qual
                break

    def visit_Attribute(self, node):
        qual = self.qualify(node)
        if qual:
            self.add(qual, node)
        else:
            self.generic_visit(node)

    def visit_Assign(self, node):
        self.generic_visit(node)
        qual = self.qualify(node.value) if isinstance(node.value, ast.Call) else None
        for target in node.targets:
            if isinstance(target, ast.Name):
                if qual:
                    self.bound[target.id] = qual
                if self.settings_module and target.id.isupper() and target.id[0] != "_":
                    self.add(f"setting:{target.id}", target)

    def visit_AnnAssign(self, node):
        self.generic_visit(node)
        if self.settings_module and isinstance(node.target, ast.Name) \
                and node.target.id.isupper() and node.target.id[0] != "_":
            self.add(f"setting:{node.target.id}", node.target)

    def visit_Constant(self, node):
        if isinstance(node.value, str) and re.fullmatch(r"[a-z_]+(\.[A-Za-z_]\w*)+", node.value) \
                and self.is_third_party(node.value):
            self.add(node.value, node)


TEMPLATE_TAG = re.compile(r"{%-?\s*(\w+)")
TEMPLATE_FILTER = re.compile(r"\|\s*(\w+)")
TEMPLATE_EXPR = re.compile(r"{{(.*?)}}|{%(.*?)%}", re.S)


def template_concepts(text):
    concepts = {f"template-tag:{m}" for m in TEMPLATE_TAG.findall(text) if not m.startswith("end")}
    for expr in TEMPLATE_EXPR.findall(text):
        for part in expr:
            concepts.update(f"template-filter:{f}" for f in TEMPLATE_FILTER.findall(part))
    return concepts


@functools.cache
def top_level_distributions():
    """importlib.metadata.packages_distributions(), read once per process: each call walks every
    installed distribution's RECORD (about 0.25 s here, and it was called per import and per
    string constant), and nothing is installed while this script runs."""
    return metadata.packages_distributions()


def make_is_third_party(local_names):
    stdlib = set(sys.stdlib_module_names)

    def is_third_party(module):
        top = module.split(".")[0]
        if top in stdlib or top in local_names or top == "__future__":
            return False
        try:
            return top in top_level_distributions()
        except Exception:  # noqa: BLE001 - metadata of a broken install: not third party
            return False

    return is_third_party


def local_module_names(dirs):
    names = set()
    for d in dirs:
        for child in Path(d).iterdir():
            if child.suffix == ".py":
                names.add(child.stem)
            elif child.is_dir() and (child / "__init__.py").exists():
                names.add(child.name)
    return names


def module_name(path, base):
    parts = list(path.relative_to(base).with_suffix("").parts) if base else [path.stem]
    if parts and parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), True
    return ".".join(parts), False


def local_exports(files, base, is_third_party):
    """Framework bindings per local module, resolved through local imports (3 passes)."""
    exports = {}
    for _ in range(3):
        for path in files:
            if path.suffix != ".py":
                continue
            name, is_package = module_name(path, base)
            visitor = ConceptVisitor(is_third_party, False,
                                     name + (".__init__" if is_package else ""), exports)
            visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
            exports[name] = dict(visitor.bound)
    return exports


def generated_line_numbers(text, generated_text):
    """1-based line numbers of `text` that match the generated text (stripped, in order)."""
    def norm(line):  # whitespace and quote style are formatting, not writing
        return line.strip().replace("'", '"')

    mine = [norm(line) for line in text.splitlines()]
    theirs = [norm(line) for line in generated_text.splitlines()]
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    lines = set()
    for block in matcher.get_matching_blocks():
        lines.update(i + 1 for i in range(block.a, block.a + block.size) if mine[i])
    return lines


def count_tree(files, root, is_third_party, base=None, scaffold=None):
    """Files, code lines and concepts of a list of files (`base`: their import root), and the
    same over what a developer writes (`written`): `scaffold` maps a path to the text a
    framework command generates for it."""
    scaffold = scaffold or {}
    exports = local_exports(files, base, is_third_party) if base else {}
    out = {"files": 0, "code_lines": 0, "generated_files": 0, "generated_lines": 0,
           "by_file": {}}
    written = {"files": 0, "code_lines": 0, "scaffold_files": [], "scaffold_lines": 0,
               "by_file": {}}
    concepts, imports, written_concepts = set(), set(), set()
    for path in files:
        rel = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        generated = "migrations" in path.parts and path.name != "__init__.py"
        from_scaffold = generated_line_numbers(text, scaffold[path]) if path in scaffold else set()
        if path in scaffold:
            written["scaffold_files"].append(rel)
        if path.suffix == ".py":
            numbers = python_code_line_numbers(text)
            lines = len(numbers)
            mine = numbers - from_scaffold
            name, is_package = module_name(path, base)
            settings = path.name == "settings.py"
            qual = name + (".__init__" if is_package else "")
            visitor = ConceptVisitor(is_third_party, settings, qual, exports)
            visitor.visit(ast.parse(text))
            mine_visitor = ConceptVisitor(is_third_party, settings, qual, exports, lines=mine)
            mine_visitor.visit(ast.parse(text))
            if not generated:
                concepts |= visitor.concepts
                written_concepts |= mine_visitor.concepts
                imports |= {c.split(".")[0] for c in visitor.concepts if ":" not in c}
        else:
            lines = text_code_lines(text)
            mine = {i + 1 for i, line in enumerate(text.splitlines()) if line.strip()}
            mine -= from_scaffold
            if path.suffix in {".html", ".jinja", ".j2"}:
                concepts |= template_concepts(text)
                written_concepts |= template_concepts(text)
        if generated:
            out["generated_files"] += 1
            out["generated_lines"] += lines
        else:
            out["files"] += 1
            out["code_lines"] += lines
            written["scaffold_lines"] += lines - len(mine)
            if mine:
                written["files"] += 1
                written["code_lines"] += len(mine)
                written["by_file"][rel] = len(mine)
        out["by_file"][rel] = lines
    out["concepts"] = len(concepts)
    out["concept_names"] = sorted(concepts)
    out["third_party_imports"] = sorted(imports)
    written["concepts"] = len(written_concepts)
    written["concept_names"] = sorted(written_concepts)
    out["written"] = written
    return out


def django_scaffold(app_dir):
    """{path: text} that Django's startproject and startapp would generate for the projects
    (a package with settings.py and wsgi.py) and apps (a package with apps.py) under app_dir,
    rendered the way those commands render them (Django's template engine, no autoescape)."""
    import django
    from django.template import Context, Engine
    conf = Path(django.__file__).parent / "conf"
    engine = Engine()
    version = django.get_version()
    out = {}

    def render(template_dir, target_dir, context, rename=None):
        for template in sorted(template_dir.rglob("*-tpl")):
            rel = template.relative_to(template_dir).as_posix()[:-len("-tpl")]
            if rename:
                rel = rel.replace(*rename)
            text = engine.from_string(template.read_text()).render(Context(
                dict(context, docs_version=".".join(version.split(".")[:2]),
                     django_version=version, secret_key="(generated)"), autoescape=False))
            out[target_dir / rel] = text

    for settings in sorted(Path(app_dir).rglob("settings.py")):
        project = settings.parent
        if (project / "wsgi.py").exists():
            render(conf / "project_template", project.parent, {"project_name": project.name},
                   ("project_name", project.name))
    for apps_py in sorted(Path(app_dir).rglob("apps.py")):
        app = apps_py.parent
        camel = "".join(part.capitalize() for part in app.name.split("_"))
        render(conf / "app_template", app, {"app_name": app.name, "camel_case_app_name": camel})
    return out


SCAFFOLDS = {"django": django_scaffold}


def app_files(app_dir):
    files = []
    for path in sorted(Path(app_dir).rglob("*")):
        if not path.is_file() or SKIP_DIRS & set(path.parts) or path.name in SKIP_FILES:
            continue
        if path.suffix in CODE_SUFFIXES:
            files.append(path)
    return files


# ---------------------------------------------------------------- dependencies

def requirement_closure(names):
    """Distribution names (canonical, sorted) required by `names`, transitively."""
    seen, todo = {}, list(names)
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        key = dist.metadata["Name"].lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = dist
        for spec in dist.requires or []:
            req = Requirement(spec)
            if req.marker and not req.marker.evaluate({"extra": ""}):
                continue
            todo.append(req.name)
    return seen


def installed_bytes(dists):
    return sum(f.size or 0 for d in dists.values() for f in (d.files or []))


def dependency_summary(root_names):
    closure = requirement_closure(root_names)
    roots = {n.lower().replace("_", "-") for n in root_names}
    deps = sorted(k for k in closure if k not in roots)
    return {"roots": sorted(roots), "requires": deps, "count": len(deps),
            "install_bytes": installed_bytes(closure),
            "versions": {k: closure[k].version for k in sorted(closure)}}


def distributions_of(modules):
    mapping = top_level_distributions()
    return sorted({d for m in modules for d in mapping.get(m, [])})


# ---------------------------------------------------------------- running apps

def wsgi_call(app, method="GET", path="/", body=b"", headers=None):
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
               "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
               "wsgi.input": io.BytesIO(body), "wsgi.errors": sys.stderr,
               "wsgi.multithread": False, "wsgi.multiprocess": False, "wsgi.run_once": False,
               "CONTENT_LENGTH": str(len(body)),
               "CONTENT_TYPE": "application/x-www-form-urlencoded"}
    environ.update(headers or {})
    captured = {}

    def start_response(status, response_headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = {k.lower(): v for k, v in response_headers}

    chunks = app(environ, start_response)
    try:
        data = b"".join(chunks)
    finally:
        if hasattr(chunks, "close"):
            chunks.close()
    return captured["status"], captured["headers"], data


def load_module(path):
    import importlib.util
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


SECURITY_HEADERS = {"x-frame-options": "X-Frame-Options (clickjacking)",
                    "x-content-type-options": "X-Content-Type-Options: nosniff",
                    "referrer-policy": "Referrer-Policy",
                    "cross-origin-opener-policy": "Cross-Origin-Opener-Policy"}


def flask_new_project():
    from flask import Flask, render_template_string
    app = Flask("probe")

    @app.route("/", methods=["GET", "POST"])
    def index():
        return "ok"

    with app.app_context():
        escaped = "&lt;b&gt;" in render_template_string("{{ v }}", v="<b>")
    return app, escaped, bool(app.config["SESSION_COOKIE_HTTPONLY"])


def django_new_project():
    import django
    from django.conf import settings
    template = Path(django.__file__).parent / "conf/project_template/project_name/settings.py-tpl"
    source = re.sub(r"{{\s*\w+\s*}}", "probe", template.read_text())
    namespace = {"__file__": str(template)}
    exec(compile(source, str(template), "exec"), namespace)  # noqa: S102 - Django's own template
    conf = {k: v for k, v in namespace.items() if k.isupper()}
    conf.update(ROOT_URLCONF="appsize_probe_urls", ALLOWED_HOSTS=["localhost"],
                DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
    import types
    urls = types.ModuleType("appsize_probe_urls")
    sys.modules["appsize_probe_urls"] = urls
    settings.configure(**conf)
    django.setup()
    from django.http import HttpResponse
    from django.template import engines
    from django.urls import path
    urls.urlpatterns = [path("", lambda request: HttpResponse("ok"))]
    from django.core.wsgi import get_wsgi_application
    escaped = "&lt;b&gt;" in engines["django"].from_string("{{ v }}").render({"v": "<b>"})
    return get_wsgi_application(), escaped, bool(settings.SESSION_COOKIE_HTTPONLY)


def falcon_new_project():
    """falcon.App() with one resource. Falcon has no template engine and no sessions: a new
    project autoescapes nothing and sets no session cookie until it adds them."""
    import falcon

    class Index:
        def on_get(self, req, resp):
            resp.text = "ok"

        def on_post(self, req, resp):
            resp.text = "ok"

    app = falcon.App()
    app.add_route("/", Index())
    return app, False, False


# A new project of each framework: (WSGI app, templates autoescape, session cookie HttpOnly).
NEW_PROJECTS = {"flask": flask_new_project, "django": django_new_project,
                "falcon": falcon_new_project}


def probe_security(framework):
    if framework not in NEW_PROJECTS:
        raise SystemExit(f"appsize: no new-project probe for {framework}: add one to "
                         "NEW_PROJECTS in src/report/appsize.py")
    app, escaped, httponly = NEW_PROJECTS[framework]()
    _, headers, _ = wsgi_call(app, "GET", "/")
    checks = {label: name in headers for name, label in SECURITY_HEADERS.items()}
    post_status, _, _ = wsgi_call(app, "POST", "/", b"a=1")
    checks["CSRF: a POST without a token is rejected"] = post_status == 403
    checks["Templates autoescape by default"] = escaped
    checks["Session cookie HttpOnly by default"] = httponly
    return {"checks": checks, "on": sum(checks.values()), "total": len(checks),
            "fraction": sum(checks.values()) / len(checks),
            "how": "a new project (Flask(__name__); Django with its startproject settings; "
                   "falcon.App()) "
                   "called through WSGI: GET / headers, POST / without a CSRF token"}


def hello_world(hello_file, framework, root, is_third_party):
    counted = count_tree([hello_file], root, is_third_party)
    probe = subprocess.run([sys.executable, "-c",
                            "import json,sys; sys.path.insert(0, sys.argv[1]);"
                            "import appsize; m = appsize.load_module(appsize.Path(sys.argv[2]));"
                            "s,h,b = appsize.wsgi_call(m.app); print(json.dumps([s, b.decode()]))",
                            str(Path(__file__).parent), str(hello_file)],
                           capture_output=True, text=True, check=True)
    status, body = json.loads(probe.stdout)
    return {"path": hello_file.relative_to(root).as_posix(), "files": counted["files"],
            "code_lines": counted["code_lines"], "concepts": counted["concepts"],
            "concept_names": counted["concept_names"], "response": {"status": status, "body": body}}


def import_time_ms(hello_file, runs):
    code = ("import time, importlib.util, sys; t = time.perf_counter();"
            "s = importlib.util.spec_from_file_location('hello', sys.argv[1]);"
            "m = importlib.util.module_from_spec(s); s.loader.exec_module(m); m.app;"
            "print((time.perf_counter() - t) * 1000)")
    samples = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code, str(hello_file)], capture_output=True,
                             text=True, check=True)
        samples.append(round(float(out.stdout), 2))
    return {"median": round(statistics.median(samples), 2), "samples": samples, "runs": runs,
            "what": "fresh interpreter: import the hello-world module and build its WSGI app"}


PROFILE_PROBE = r"""
import importlib, io, json, os, sys, time
before = set(sys.modules)
sys.path[:0] = json.loads(sys.argv[1])
os.chdir(sys.argv[2])
t = time.perf_counter()
module, attr = sys.argv[3].split(":")
app = getattr(importlib.import_module(module), attr)
ms = (time.perf_counter() - t) * 1000
environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/json", "QUERY_STRING": "",
           "SERVER_NAME": "localhost", "SERVER_PORT": "80", "HTTP_HOST": "localhost",
           "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
           "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
           "wsgi.multiprocess": False, "wsgi.run_once": False}
status = []
body = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
loaded = sorted({m.split(".")[0] for m in set(sys.modules) - before})
print(json.dumps({"import_ms": round(ms, 2), "status": status[0], "modules": loaded}))
"""


def load_catalog(fwbench, root):
    """name -> resolved entry (dir, wsgi, sys_path, env, version_module) of the app catalogue:
    `fwbench apps --json`, the one reader of apps/frameworks.json."""
    if not Path(fwbench).is_file():
        raise SystemExit(f"appsize: no fwbench binary at {fwbench}: it resolves the app "
                         "catalogue (`fwbench apps --json`); run scripts/setup or pass --fwbench")
    out = subprocess.run([str(fwbench), "apps", "--json", "--frameworks",
                          str(root / "apps/frameworks.json")], capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"appsize: {fwbench} apps --json failed: {out.stderr.strip()}")
    return json.loads(out.stdout)["frameworks"]


def default_fwbench(root):
    """The binary scripts/lib.sh builds: $FWBENCH, else ${FWBENCH_BUILD:-ROOT/build}/src/cli/fwbench."""
    build = Path(os.environ.get("FWBENCH_BUILD") or root / "build")
    return Path(os.environ.get("FWBENCH") or build / "src/cli/fwbench")


def profile_stack(entry, profile, runs):
    """The app's stack and import-and-build time in one profile (fresh interpreters)."""
    env = dict(os.environ, FWBENCH_PROFILE=profile, **entry["env"])
    with tempfile.TemporaryDirectory() as tmp:
        env["DATABASE_URL"] = f"sqlite:///{tmp}/appsize.db"  # /json touches no database
        samples, modules = [], set()
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", PROFILE_PROBE,
                                  json.dumps(entry["sys_path"]), entry["dir"], entry["wsgi"]],
                                 capture_output=True, text=True, env=env)
            if out.returncode != 0:
                raise SystemExit(f"appsize: the {profile} app of {entry['dir']} did not start: "
                                 f"{out.stderr.strip().splitlines()[-1:]}")
            probe = json.loads(out.stdout.strip().splitlines()[-1])
            if not probe["status"].startswith("200"):
                raise SystemExit(f"appsize: GET /json answered {probe['status']} "
                                 f"({entry['dir']}, {profile})")
            samples.append(probe["import_ms"])
            modules |= set(probe["modules"])
    stack = dependency_summary(distributions_of(modules))
    return {"stack": stack,
            "import_time_ms": {"median": round(statistics.median(samples), 2),
                               "samples": samples, "runs": runs,
                               "what": "fresh interpreter: import the app's WSGI module and "
                                       "build the app (FWBENCH_PROFILE=" + profile + ")"}}


def measure(root, runs, fwbench):
    frameworks = load_catalog(fwbench, root)
    out = {"schema": "fwbench.appsize/1",
           "python": ".".join(map(str, sys.version_info[:3])), "frameworks": {},
           "rules": __doc__.split("Counting rules")[1].split("Usage:")[0].strip()}
    for name in sorted(frameworks):
        entry = frameworks[name]
        app_dir = Path(entry["dir"])
        search = [Path(p) for p in entry["sys_path"]]
        local = local_module_names([p for p in search if p.is_dir()])
        is_third_party = make_is_third_party(local)
        # The distribution's own spelling of its name ("Flask", "Django", "falcon").
        dist = metadata.distribution(entry["version_module"]).metadata["Name"]
        scaffold = SCAFFOLDS[name](app_dir) if name in SCAFFOLDS else {}
        ref = count_tree(app_files(app_dir), root, is_third_party, app_dir, scaffold)
        ref["path"] = os.path.relpath(app_dir, root)
        result = {"version": metadata.version(dist), "distribution": dist, "reference_app": ref,
                  "dependencies": dependency_summary([dist]),
                  "app_stack": dependency_summary(
                      distributions_of(ref["third_party_imports"]) or [dist])}
        result["profiles"] = {p: profile_stack(entry, p, runs)
                              for p in ("minimal", "standard")}
        hello_file = Path(__file__).parent / "hello" / f"{name}_hello.py"
        if hello_file.exists():
            result["hello_world"] = hello_world(hello_file, name, root, is_third_party)
            result["import_time_ms"] = import_time_ms(hello_file, runs)
        probe = subprocess.run([sys.executable, __file__, "--probe-security", name],
                               capture_output=True, text=True)
        if probe.returncode == 0:
            result["security_defaults"] = json.loads(probe.stdout)
        else:
            result["security_defaults_error"] = probe.stderr.strip().splitlines()[-1:]
        out["frameworks"][name] = result
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path)
    parser.add_argument("--out", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--fwbench", type=Path, help="the binary that resolves the app catalogue")
    parser.add_argument("--probe-security")
    args = parser.parse_args()
    if args.probe_security:
        print(json.dumps(probe_security(args.probe_security)))
        return
    if not args.root or not args.out:
        parser.error("--root and --out are required")
    root = args.root.resolve()
    doc = measure(root, args.runs, args.fwbench or default_fwbench(root))
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    tmp.replace(args.out)


if __name__ == "__main__":
    main()
