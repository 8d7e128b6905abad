#!/usr/bin/env python
"""Resident memory (VmRSS) of a fresh interpreter after importing an app or a module.

  import_rss.py [--repeat N] [--apps DIR] TARGET...

TARGET is FRAMEWORK:PROFILE (the app of apps/frameworks.json, built the way a WSGI server
imports it: cwd, sys.path (the launch rule of apps/README.md) and env from its entry, FWBENCH_PROFILE=PROFILE, DATABASE_URL a
SQLite file that need not exist, since neither app connects at import) or module:A,B (just
`import A, B`), or "bare" (the interpreter alone). Each target is measured N times (default 5)
in a new `python -c` process, after one unmeasured run that compiles the bytecode; prints
the median and every sample in MiB. --apps DIR measures another copy of apps/ (e.g. an older
commit's, unpacked with `git archive COMMIT apps | tar -x -C /tmp/old`).
Run it with the project's .venv python.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent

PROBE = """
import importlib, sys
spec, paths = sys.argv[1], sys.argv[2:]
sys.path[:0] = paths
if spec.startswith("module:"):
    for name in spec[len("module:"):].split(","):
        importlib.import_module(name)
elif spec != "bare":
    module, attr = spec.split(":", 1)
    getattr(importlib.import_module(module), attr)
for line in open("/proc/self/status"):
    if line.startswith("VmRSS:"):
        print(int(line.split()[1]))
"""


def command_for(target: str, apps: Path, db_url: str) -> tuple:
    """(argv, cwd, env) of one measuring run."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSTARTUP")}
    if target == "bare" or target.startswith("module:"):
        return [sys.executable, "-c", PROBE, target], apps, env
    framework, _, profile = target.partition(":")
    entries = json.loads((apps / "frameworks.json").read_text())["frameworks"]
    if framework not in entries or profile not in ("minimal", "standard"):
        raise SystemExit(f"import_rss: unknown target {target!r}; use FRAMEWORK:PROFILE with a "
                         f"framework of {apps / 'frameworks.json'}, module:A,B or bare")
    entry = entries[framework]
    root = apps.parent
    env.update(entry.get("env", {}), FWBENCH_PROFILE=profile, DATABASE_URL=db_url)
    return [sys.executable, "-c", PROBE, entry["wsgi"], *sys_path(entry, root)], \
        root / entry["dir"], env


def sys_path(entry: dict, root: Path) -> list:
    """The launch rule (apps/README.md): dir, then pythonpath in order, repeats dropped.
    This tool parses frameworks.json itself, unlike the others (`fwbench apps --json`), because
    --apps may name an older commit's copy whose paths resolve against that copy, not this
    build's root; tests/python/test_app_catalog.py checks it agrees with the binary."""
    paths = []
    for p in [entry["dir"], *entry.get("pythonpath", [])]:
        resolved = os.path.normpath(root / p)
        if resolved not in paths:
            paths.append(resolved)
    return paths


def measure(target: str, repeat: int, apps: Path, db_url: str) -> list:
    argv, cwd, env = command_for(target, apps, db_url)
    samples = []
    for run in range(repeat + 1):
        out = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"import_rss: {target} failed:\n{out.stderr[-2000:]}")
        if run > 0:  # the first run compiles bytecode
            samples.append(int(out.stdout.strip().splitlines()[-1]) / 1024)
    return samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--apps", type=Path, default=APPS_DIR)
    parser.add_argument("targets", nargs="+")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{tmp}/unused.db"
        for target in args.targets:
            samples = measure(target, args.repeat, args.apps.resolve(), db_url)
            print(f"{target:28s} median {statistics.median(samples):6.1f} MiB  "
                  f"({', '.join(f'{s:.1f}' for s in samples)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
