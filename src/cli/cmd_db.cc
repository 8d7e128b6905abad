// PLACEHOLDER until its component lands: the owning component replaces this file.
#include "cli/commands.h"
#include "common/error.h"

namespace fwbench::cli {

void AddDbCommand(CLI::App& app) {
  app.add_subcommand("db", "(not built yet)")->callback([] {
    throw Error("'fwbench db' is not built yet");
  });
}

}  // namespace fwbench::cli
