// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddCompareCommand(CLI::App& app) {
  app.add_subcommand("compare", "(not built yet)")->callback([] {
    throw Error("'fwbench compare' is not built yet");
  });
}

}  // namespace fwbench::cli
