// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddInprocCommand(CLI::App& app) {
  app.add_subcommand("inproc", "(not built yet)")->callback([] {
    throw Error("'fwbench inproc' is not built yet");
  });
}

}  // namespace fwbench::cli
