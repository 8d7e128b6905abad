// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddRunCommand(CLI::App& app) {
  app.add_subcommand("run", "(not built yet)")->callback([] {
    throw Error("'fwbench run' is not built yet");
  });
}

}  // namespace fwbench::cli
