// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddReportCommand(CLI::App& app) {
  app.add_subcommand("report", "(not built yet)")->callback([] {
    throw Error("'fwbench report' is not built yet");
  });
}

}  // namespace fwbench::cli
