// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddVerifyCommand(CLI::App& app) {
  app.add_subcommand("verify", "(not built yet)")->callback([] {
    throw Error("'fwbench verify' is not built yet");
  });
}

}  // namespace fwbench::cli
