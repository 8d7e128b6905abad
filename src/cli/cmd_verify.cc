// fwbench verify URL: checks a running app against apps/contract.json.
#include <cstdio>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "verify/report_text.h"
#include "verify/verify.h"

namespace fwbench::cli {
namespace {

struct VerifyArgs {
  verify::Options options;
  std::string json_path;
};

void RunVerify(const VerifyArgs& args) {
  verify::Result result = verify::Run(args.options);
  for (const auto& check : result.checks) std::printf("%s\n", verify::FormatCheck(check).c_str());
  std::printf("%s\n",
              verify::FormatSummary(result, args.options.base_url, args.options.profile).c_str());
  std::fflush(stdout);
  if (!args.json_path.empty()) {
    nlohmann::json doc = {
        {"schema", "fwbench.verify/1"},
        {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
        {"url", args.options.base_url},
        {"profile", args.options.profile},
        {"database_url", args.options.database_url}};
    doc.update(verify::ToJson(result));
    WriteJsonAtomic(args.json_path, doc);
  }
  if (!result.Passed()) throw CLI::RuntimeError(1);
}

}  // namespace

void AddVerifyCommand(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Check a running app against the route contract (apps/contract.json)");
  cmd->add_option("url", args->options.base_url, "The app's base URL, e.g. http://127.0.0.1:8000")
      ->required();
  cmd->add_option("--profile", args->options.profile, "The profile the app runs in")
      ->check(CLI::IsMember({"minimal", "standard"}))
      ->capture_default_str();
  cmd->add_option("--contract", args->options.contract_path,
                  "The contract file (default <root>/apps/contract.json)");
  cmd->add_option("--database-url", args->options.database_url,
                  "The app's DATABASE_URL: /updates are read back from it, and on PostgreSQL "
                  "each DB route's statements are counted (default: neither)");
  cmd->add_option("--json", args->json_path, "Also write the result as JSON to FILE (atomic)");
  cmd->callback([args] { RunVerify(*args); });
}

}  // namespace fwbench::cli
