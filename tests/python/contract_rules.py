"""The contract's rules for the pytest harness: fwbench's own checker (`fwbench check-responses
--in-process`, the rules `fwbench verify` applies: src/verify/response_rules.h), fed one
response per line. Nothing here restates a rule. The apps are called in-process, so the
headers the contract marks set_by "server" (Server, Date) are not checked."""

import base64
import json
import subprocess

import harness


class Checker:
    """One `fwbench check-responses` process for the session; close() reaps it."""

    def __init__(self, database_url: str):
        harness.require_fwbench("the contract's rules are `fwbench check-responses`")
        self.proc = subprocess.Popen(
            [str(harness.FWBENCH), "check-responses", "--in-process",
             "--database-url", database_url],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )

    def check(self, profile: str, route: str, case: str, resp) -> list:
        """The broken rules of `resp` (a harness.Response to contract case `case` of `route`),
        each as "rule: detail"; empty when it passes."""
        line = json.dumps({"profile": profile, "route": route, "case": case,
                           "status": resp.status, "headers": resp.headers,
                           "body_b64": base64.b64encode(resp.body).decode()})
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        reply = self.proc.stdout.readline()
        if not reply:
            raise RuntimeError(f"fwbench check-responses exited ({self.proc.wait(timeout=30)}) "
                               f"checking {route}/{case}; its error is above")
        return [f"{p['rule']}: {p['detail']}" for p in json.loads(reply)["problems"]]

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self.proc.stdout.close()
