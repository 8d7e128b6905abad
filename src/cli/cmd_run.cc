// fwbench run SUITE --out FILE: the whole comparison, resumable (src/suite/runner.h).
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "cli/commands.h"
#include "cli/stop_on_signal.h"
#include "common/error.h"
#include "common/paths.h"
#include "launch/server_template.h"
#include "load/load.h"
#include "suite/runner.h"
#include "suite/suite.h"
#include "verify/verify.h"

namespace fwbench::cli {
namespace {

suite::VerifyOutcome VerifyApp(const std::string& base_url, const std::string& profile,
                               const std::string& database_url) {
  verify::Options options;
  options.base_url = base_url;
  options.profile = profile;
  options.database_url = database_url;
  verify::Result result = verify::Run(options);
  suite::VerifyOutcome outcome;
  outcome.passed = result.Passed();
  outcome.checks = static_cast<int>(result.checks.size());
  for (const auto& check : result.checks)
    if (!check.passed)
      outcome.failures.push_back((check.name.empty() ? check.route : check.name) + " " +
                                 check.rule + ": " + check.detail);
  return outcome;
}

// Points this run (and, through FWBENCH_VENV, every server it starts) at another venv. The
// embedded server is refused with a venv other than the build's: it runs in the libpython
// fwbench is linked against, whatever interpreter the venv has.
void UseVenv(const std::string& dir, const suite::Suite& s) {
  namespace fs = std::filesystem;
  fs::path venv = fs::absolute(dir).lexically_normal();
  if (::access((venv / "bin" / "python").c_str(), X_OK) != 0)
    throw Error("no executable bin/python in " + venv.string(), "--venv",
                "make it with `python3.11 -m venv DIR` and install apps/requirements.txt in it");
  std::error_code ec;
  if (!fs::equivalent(venv, VenvDir(), ec)) {
    launch::ServerCatalog catalog = launch::LoadServerCatalog(s.servers_file);
    for (size_t i = 0; i < s.servers.size(); ++i) {
      auto it = catalog.servers.find(s.servers[i]);
      if (it != catalog.servers.end() && !it->second.argv.empty() &&
          it->second.argv.front() == "{fwbench}")
        throw Error("server \"" + s.servers[i] + "\" runs inside fwbench, on the libpython it " +
                        "was built against, not on " + venv.string() + "'s interpreter",
                    "suite servers[" + std::to_string(i) + "] with --venv",
                    "leave it out of the suite, or run without --venv");
    }
  }
  ::setenv("FWBENCH_VENV", venv.c_str(), 1);
}

}  // namespace

void AddRunCommand(CLI::App& app) {
  struct Args {
    std::string suite, out = "results.json", venv;
    bool fresh = false, quiet = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Run a suite (bench/suites/*.json) and write a fwbench.results/2 file; rerunning "
      "with the same --out resumes");
  cmd->add_option("suite", args->suite, "suite file, e.g. bench/suites/quick.json")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out,-o", args->out, "results file (server logs go to <stem>.logs/ beside it)");
  cmd->add_option("--venv", args->venv,
                  "virtualenv whose python runs the servers (default: the repo's .venv); "
                  "recorded in meta.venv and meta.python_build");
  cmd->add_flag("--fresh", args->fresh, "ignore an earlier results file at --out");
  cmd->add_flag("--quiet,-q", args->quiet, "no progress line");
  cmd->callback([args] {
    suite::Suite s = suite::LoadSuite(args->suite);
    if (!args->venv.empty()) UseVenv(args->venv, s);
    suite::RunOptions options;
    options.out = args->out;
    options.fresh = args->fresh;
    options.progress = !args->quiet;
    options.fwbench_exe = std::filesystem::read_symlink("/proc/self/exe");
    // A second signal quits at once; the servers' watchdogs reap them.
    std::atomic<bool> stop{false};
    suite::RunReport report;
    {
      StopOnSignal on_signal(stop, "fwbench run: stopping after saving what was measured");
      report = suite::RunSuite(
          s, options,
          [](const load::SessionOptions& o, const std::atomic<bool>& stopping) {
            return load::RunSession(o, stopping);
          },
          VerifyApp, stop);
    }
    std::fprintf(stderr,
                 "%s: %d ok, %d failed, %d excluded, %d incomplete (%d kept from an "
                 "earlier run)\n",
                 args->out.c_str(), report.ok, report.failed, report.excluded, report.incomplete,
                 report.reused);
    if (report.interrupted) {
      std::fprintf(stderr,
                   "fwbench: interrupted; every finished round is in %s. Rerun "
                   "the same command to resume.\n",
                   args->out.c_str());
      throw CLI::RuntimeError(130);
    }
    if (report.failed > 0)
      std::fprintf(stderr, "fwbench: %d cells failed; their reasons are in %s\n", report.failed,
                   args->out.c_str());
  });
}

}  // namespace fwbench::cli
