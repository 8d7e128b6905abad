#include <csignal>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "common/error.h"
#include "common/paths.h"

int main(int argc, char** argv) {
  // A peer that hangs up mid-write is an error to report, not a reason to die (as in wrk).
  // Servers fwbench launches get SIGPIPE back at its default (src/launch/process.cc).
  std::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"fwbench: measure what a Python web framework costs"};
  app.require_subcommand(1);
  app.set_version_flag("--version", fwbench::Version() + " (" + fwbench::GitCommit() + ")");
  fwbench::cli::AddLoadCommand(app);
  fwbench::cli::AddVerifyCommand(app);
  fwbench::cli::AddDbCommand(app);
  fwbench::cli::AddServeCommand(app);
  fwbench::cli::AddInprocCommand(app);
  fwbench::cli::AddRunCommand(app);
  fwbench::cli::AddReportCommand(app);
  fwbench::cli::AddCompareCommand(app);
  fwbench::cli::AddAppsCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const fwbench::Error& e) {
    std::fprintf(stderr, "fwbench: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fwbench: unexpected error: %s\n", e.what());
    return 1;
  }
  return 0;
}
