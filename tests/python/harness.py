"""The test side of the contract: the repo's files, app workers, and request building."""

import base64
import functools
import importlib.util
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ROOT / "apps"
CONTRACT_FILE = APPS / "contract.json"
FRAMEWORKS_FILE = APPS / "frameworks.json"
# The binary whose `fwbench apps --json` resolves the app catalogue (as scripts/lib.sh finds it).
FWBENCH = Path(os.environ.get("FWBENCH") or
               Path(os.environ.get("FWBENCH_BUILD") or ROOT / "build") / "src/cli/fwbench")
WORKER = Path(__file__).resolve().parent / "wsgi_worker.py"

sys.path.insert(0, str(APPS / "common"))


def _load_dbtool():
    """apps/dbtool.py as module `dbtool`, without putting apps/ (whose flask/ and django/
    folders would shadow-risk the real packages) on sys.path."""
    spec = importlib.util.spec_from_file_location("dbtool", APPS / "dbtool.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["dbtool"] = module
    spec.loader.exec_module(module)


_load_dbtool()


def load_contract() -> dict:
    contract = json.loads(CONTRACT_FILE.read_text(encoding="utf-8"))
    assert contract["schema"] == "fwbench.contract/1", CONTRACT_FILE
    return contract


def load_catalog(frameworks_file: Path = FRAMEWORKS_FILE) -> dict:
    """The resolved app catalogue, `fwbench apps --json` (apps/README.md): the one reader of
    frameworks.json is the binary. Skips the calling test when the binary is not built."""
    if not FWBENCH.is_file():
        import pytest
        pytest.skip(f"no fwbench binary at {FWBENCH}: the app catalogue comes from "
                    "`fwbench apps --json`; run scripts/setup (or set FWBENCH)")
    out = subprocess.run([str(FWBENCH), "apps", "--json", "--frameworks", str(frameworks_file)],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        raise RuntimeError(f"{FWBENCH} apps --json failed: {out.stderr.strip()}")
    return json.loads(out.stdout)


@functools.lru_cache(maxsize=None)
def load_frameworks() -> dict:
    """name -> resolved entry: dir, wsgi, sys_path, env, version_module (absolute paths)."""
    return load_catalog()["frameworks"]


@dataclass
class Response:
    status: int
    headers: list
    body: bytes

    def header(self, name: str):
        """The first value of header `name` (case-insensitive), None when absent."""
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None


def request_body(case: dict) -> bytes:
    """The bytes a contract case sends (CONTRACT.md: body kinds json, text, repeat)."""
    body = case.get("body")
    if body is None:
        return b""
    if "json" in body:
        return json.dumps(body["json"], separators=(",", ":")).encode()
    if "text" in body:
        return body["text"].encode()
    if "repeat" in body:
        return (body["repeat"] * body["bytes"]).encode()
    raise AssertionError(f"unknown body kind in case {case.get('name')}: {body}")


class AppWorker:
    """One app, one profile, in a child process (see wsgi_worker.py). close() reaps it."""

    def __init__(self, spec: str, paths: list, env: dict, cwd: Path):
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), spec, *paths], cwd=cwd, env={**os.environ, **env},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )
        ready = self.proc.stdout.readline()
        if not ready:
            self.close()
            raise RuntimeError(f"the app {spec} did not start (see its stderr above)")

    def request(self, method, path, query=None, headers=None, body=b"") -> Response:
        line = json.dumps({"method": method, "path": path, "query": query, "headers": headers,
                           "body_b64": base64.b64encode(body).decode()})
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError(f"the app worker died serving {method} {path}")
        data = json.loads(reply)
        return Response(data["status"], data["headers"], base64.b64decode(data["body_b64"]))

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout):
            stream.close()


def start_worker(framework: dict, profile: str, database_url: str) -> AppWorker:
    """Starts `framework` (a resolved entry of load_frameworks()) the way a server would."""
    env = dict(framework["env"], FWBENCH_PROFILE=profile, DATABASE_URL=database_url)
    return AppWorker(framework["wsgi"], framework["sys_path"], env, Path(framework["dir"]))
