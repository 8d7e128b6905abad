// fwbench verify URL: checks a running app against apps/contract.json.
// fwbench check-responses [FILE]: the same rules for responses given as JSON lines.
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "verify/check_responses.h"
#include "verify/contract.h"
#include "verify/dbtool.h"
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

struct CheckArgs {
  std::string input = "-";
  std::string contract_path;
  std::string database_url;
  bool in_process = false;
  bool print_requests = false;
};

void RunCheckResponses(const CheckArgs& args) {
  const nlohmann::json contract =
      verify::LoadContract(args.contract_path.empty() ? verify::DefaultContractPath()
                                                      : std::filesystem::path(args.contract_path));
  verify::Dbtool dbtool(args.database_url);
  verify::WorldReader read_worlds;
  if (!args.database_url.empty()) {
    read_worlds = [&dbtool](const std::vector<long long>& ids) { return dbtool.ReadWorlds(ids); };
  }
  if (args.print_requests) {
    std::printf("%s\n", verify::CaseRequests(contract).dump(1).c_str());
    return;
  }
  const auto origin = args.in_process ? verify::Origin::kInProcess : verify::Origin::kServer;
  if (args.input == "-") {
    verify::CheckResponses(std::cin, std::cout, contract, origin, read_worlds);
    return;
  }
  std::ifstream in(args.input);
  if (!in) throw Error("cannot read " + args.input, "check-responses FILE", "give a readable file");
  verify::CheckResponses(in, std::cout, contract, origin, read_worlds);
}

void AddCheckResponsesCommand(CLI::App& app) {
  auto args = std::make_shared<CheckArgs>();
  CLI::App* cmd = app.add_subcommand(
      "check-responses",
      "Check responses given as JSON lines against the contract's rules (what verify applies); "
      "for harnesses that call the apps themselves. One output line per input line.");
  cmd->add_option("file", args->input,
                  "JSON lines {profile, route, case, status, headers, body_b64}; - is stdin")
      ->capture_default_str();
  cmd->add_option("--contract", args->contract_path,
                  "The contract file (default <root>/apps/contract.json)");
  cmd->add_option("--database-url", args->database_url,
                  "Where /updates responses are read back from (default: not read back)");
  cmd->add_flag("--in-process", args->in_process,
                "The apps were called without a server: skip the headers the contract marks "
                "set_by server");
  cmd->add_flag("--print-requests", args->print_requests,
                "Print every case's request as JSON (what verify sends) instead, and exit");
  cmd->callback([args] { RunCheckResponses(*args); });
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
  AddCheckResponsesCommand(app);
}

}  // namespace fwbench::cli
