// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddLoadCommand(CLI::App& app) {
  app.add_subcommand("load", "(not built yet)")->callback([] {
    throw Error("'fwbench load' is not built yet");
  });
}

}  // namespace fwbench::cli
