// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddServeCommand(CLI::App& app) {
  app.add_subcommand("serve", "(not built yet)")->callback([] {
    throw Error("'fwbench serve' is not built yet");
  });
}

}  // namespace fwbench::cli
