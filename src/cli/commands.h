#pragma once
// One function per subcommand; each adds itself to the app. A callback reports failure by
// throwing fwbench::Error (exit 1) or CLI::RuntimeError(code) for a specific exit code.
#include <CLI/CLI.hpp>

namespace fwbench::cli {

void AddLoadCommand(CLI::App& app);
void AddVerifyCommand(CLI::App& app);
void AddDbCommand(CLI::App& app);
void AddServeCommand(CLI::App& app);
void AddInprocCommand(CLI::App& app);
void AddRunCommand(CLI::App& app);
void AddReportCommand(CLI::App& app);
void AddCompareCommand(CLI::App& app);
void AddAppsCommand(CLI::App& app);

}  // namespace fwbench::cli
