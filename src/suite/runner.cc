#include "suite/runner.h"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "common/error.h"
#include "common/paths.h"
#include "launch/cpu_list.h"
#include "launch/host_speed.h"
#include "launch/proc_tree.h"
#include "launch/sampler.h"
#include "launch/server.h"
#include "suite/app_server.h"
#include "suite/databases.h"
#include "suite/frameworks.h"
#include "suite/host_gate.h"
#include "suite/matrix.h"
#include "suite/metadata.h"
#include "suite/progress.h"
#include "suite/results.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;

// Sets `cell_stop` when the user stops the run or the server's leader exits.
class StopRelay {
 public:
  StopRelay(pid_t server, const std::atomic<bool>& user_stop, std::atomic<bool>& cell_stop)
      : thread_([this, server, &user_stop, &cell_stop] {
          while (!done_) {
            launch::ProcSample sample;
            bool gone = !launch::ReadProcStat(server, sample) || sample.state == 'Z';
            if (user_stop || gone) cell_stop = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }) {}
  ~StopRelay() {
    done_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

struct Outcome {
  enum Kind { kOk, kFailed, kInterrupted } kind = kOk;
  json repetition;
  std::string reason;
  double rps = 0;
  long errors = 0;
};

Outcome Interrupted() {
  Outcome o;
  o.kind = Outcome::kInterrupted;
  return o;
}

Outcome Failed(std::string reason) {
  Outcome o;
  o.kind = Outcome::kFailed;
  o.reason = std::move(reason);
  return o;
}

long ErrorCount(const json& overall) {
  long errors = 0;
  const json counts = overall.value("errors", json::object());
  for (const auto& [name, count] : counts.items())
    if (count.is_number()) errors += count.get<long>();
  return errors;
}

json ServerJson(const launch::TreeUsage& usage, double requests, double cold_start_ms, int port) {
  json server = launch::ToJson(usage);
  double cpu_s = usage.cpu_user_s + usage.cpu_sys_s;
  server["cpu_us_per_request"] = requests > 0 ? json(cpu_s * 1e6 / requests) : json(nullptr);
  server["cold_start_ms"] = cold_start_ms;
  server["port"] = port;
  return server;
}

std::string ServerGone(launch::Server& server, const std::string& when) {
  server.process().Running();
  std::string exit = server.process().ExitDescription();
  return "server " + (exit.empty() ? std::string("stopped answering") : exit) + " " + when +
         "; log tail: " + server.LogTail(400);
}

Outcome RunRepetition(const Suite& suite, const CellSpec& cell, int round, launch::Server& server,
                      const LoadFn& load, Progress& progress, const std::atomic<bool>& stop) {
  Outcome outcome;
  load::Options options = CellLoadOptions(suite, cell.route, cell.level, server.port());
  std::atomic<bool> cell_stop{false};
  StopRelay relay(server.process().pid(), stop, cell_stop);
  try {
    if (suite.warmup_s > 0) {
      load::Options warmup = options;
      warmup.duration_s = suite.warmup_s;
      load(warmup, cell_stop);
      if (stop) return Interrupted();
      if (cell_stop) return Failed(ServerGone(server, "during warmup"));
    }
    load::LiveCounters live;
    options.live = &live;
    launch::TreeSampler sampler(server.process().pid(), 100, cell_stop);
    json report;
    {
      LiveTicker ticker(progress, live);
      report = load(options, cell_stop);
    }
    launch::TreeUsage usage = sampler.Finish();
    if (stop) return Interrupted();
    if (usage.root_exited || !server.process().Running())
      return Failed(ServerGone(server, "during the measured window"));
    json overall = report.value("overall", json::object());
    double requests = overall.value("requests", 0.0);
    if (requests <= 0)
      return Failed("no complete response in the measured window; log tail: " +
                    server.LogTail(400));
    outcome.rps = overall.value("rps", 0.0);
    outcome.errors = ErrorCount(overall);
    json status = overall.value("status", json::object());
    double bad = outcome.errors + status.value("4xx", 0.0) + status.value("5xx", 0.0);
    outcome.repetition = {
        {"round", round},
        {"error_ratio", bad / (requests + outcome.errors)},
        {"load", std::move(report)},
        {"server", ServerJson(usage, requests, server.cold_start_ms(), server.port())}};
  } catch (const std::exception& e) {
    if (stop) return Interrupted();
    return Failed(std::string("load run failed: ") + e.what());
  }
  return outcome;
}

// Everything one run needs besides the suite: catalogs, pinning, results, databases.
struct RunContext {
  const Suite& suite;
  const RunOptions& options;
  const LoadFn& load;
  const VerifyFn& verify;
  const std::atomic<bool>& stop;
  launch::ServerCatalog catalog;
  std::map<std::string, Framework> frameworks;
  std::vector<int> server_cpus, load_cpus;
  std::vector<CellSpec> cells;
  std::filesystem::path logs;
  std::map<std::string, bool> verified;  // group -> passed, this run
};

void CheckNames(RunContext& ctx) {
  for (size_t i = 0; i < ctx.suite.servers.size(); ++i)
    if (!ctx.catalog.servers.count(ctx.suite.servers[i]))
      throw Error("no server template named \"" + ctx.suite.servers[i] + "\"",
                  "suite servers[" + std::to_string(i) + "]",
                  "add it to " + ctx.suite.servers_file.string() + " or use one defined there");
  for (size_t i = 0; i < ctx.suite.frameworks.size(); ++i)
    if (!ctx.frameworks.count(ctx.suite.frameworks[i]))
      throw Error("no framework named \"" + ctx.suite.frameworks[i] + "\"",
                  "suite frameworks[" + std::to_string(i) + "]",
                  "add it to " + ctx.suite.frameworks_file.string());
}

json VerifyJson(const VerifyOutcome& v) {
  return {{"passed", v.passed}, {"checks", v.checks}, {"failures", v.failures}};
}

json BuildMeta(RunContext& ctx, const ResultsFile& results) {
  json meta = CollectMetadata();
  json servers = json::object(), frameworks = json::object();
  for (const auto& name : ctx.suite.servers) servers[name] = ctx.catalog.servers[name].source;
  for (const auto& name : ctx.suite.frameworks) frameworks[name] = ctx.frameworks[name].source;
  meta["suite"] = ctx.suite.source;
  meta["servers"] = servers;
  meta["frameworks"] = frameworks;
  meta["pinning"] = {{"server_cpus", ctx.suite.server_cpus}, {"load_cpus", ctx.suite.load_cpus}};
  const json& earlier = results.EarlierMeta();
  bool resumed = results.Reused() > 0 && earlier.is_object() && earlier.contains("started_at");
  meta["started_at"] = resumed ? earlier["started_at"] : json(UtcNow());
  meta["resumed_at"] = resumed ? earlier.value("resumed_at", json::array()) : json::array();
  if (resumed) meta["resumed_at"].push_back(UtcNow());
  meta["ended_at"] = nullptr;
  meta["state"] = "running";
  return meta;
}

// The servers of one block: one per (framework, profile), started on first use.
class BlockServers {
 public:
  BlockServers(RunContext& ctx, Databases& dbs, const Block& block, Progress& progress)
      : ctx_(ctx), dbs_(dbs), block_(block), progress_(progress) {}
  ~BlockServers() {
    for (auto& [key, server] : servers_) server.Stop();
  }

  // The running server for the cell's group, started (and verified once per run) if needed.
  // Returns nullptr and sets `reason`/`excluded` when it cannot be measured.
  launch::Server* Get(const CellSpec& cell, std::string& reason, bool& excluded) {
    std::string key = cell.GroupKey();
    auto it = servers_.find(key);
    if (it != servers_.end() && it->second.process().Running()) return &it->second;
    if (it != servers_.end()) {
      it->second.Stop();
      servers_.erase(it);
    }
    AppServerConfig config;
    config.server = &ctx_.catalog.servers.at(cell.server);
    config.framework = &ctx_.frameworks.at(cell.framework);
    config.profile = cell.profile;
    config.workers = ctx_.suite.workers;
    config.threads = ctx_.suite.threads;
    config.cpus = ctx_.server_cpus;
    config.fwbench_exe = ctx_.options.fwbench_exe;
    config.ready_timeout_s = ctx_.suite.ready_timeout_s;
    config.probe_path = ctx_.suite.probe_path;
    std::string name = cell.framework + "-" + cell.profile + "-" + cell.server + "-" + cell.db;
    config.log_path = ctx_.logs / (name + ".log");
    try {
      config.database_url = dbs_.Url(cell.db);
      progress_.Note("starting " + name + " (round " + std::to_string(block_.round) + ")");
      auto [pos, inserted] = servers_.emplace(key, StartAppServer(config));
      launch::Server& server = pos->second;
      if (!ctx_.verified.count(key)) {
        VerifyOutcome v;
        try {
          v = ctx_.verify(server.base_url(), cell.profile, config.database_url);
        } catch (const std::exception& e) {  // never measure what could not be verified
          v.failures.push_back(std::string("verify could not run: ") + e.what());
        }
        ctx_.verified[key] = v.passed;
        last_verify_[key] = VerifyJson(v);
        if (!v.passed) {
          reason = "did not verify: " + std::to_string(v.failures.size()) + " of " +
                   std::to_string(v.checks) + " checks failed";
          for (size_t i = 0; i < v.failures.size() && i < 5; ++i)
            reason += (i ? "; " : ": ") + v.failures[i];
          excluded = true;
          server.Stop();
          servers_.erase(key);
          return nullptr;
        }
      }
      return &server;
    } catch (const std::exception& e) {
      reason = std::string("server did not start: ") + e.what();
      return nullptr;
    }
  }

  // The verify result of the group's first start in this run, or null.
  json VerifyOf(const std::string& key) const {
    auto it = last_verify_.find(key);
    return it == last_verify_.end() ? json(nullptr) : it->second;
  }

  void Drop(const std::string& key) {
    if (auto it = servers_.find(key); it != servers_.end()) {
      it->second.Stop();
      servers_.erase(it);
    }
  }

 private:
  RunContext& ctx_;
  Databases& dbs_;
  const Block& block_;
  Progress& progress_;
  std::map<std::string, launch::Server> servers_;
  std::map<std::string, json> last_verify_;
};

void SetGroupVerify(RunContext& ctx, ResultsFile& results, const std::string& key, const json& v) {
  if (v.is_null()) return;
  for (const auto& cell : ctx.cells)
    if (cell.GroupKey() == key) results.Cell(cell.id)["verify"] = v;
}

void ExcludeGroup(RunContext& ctx, ResultsFile& results, const std::string& key,
                  const std::string& reason) {
  for (const auto& cell : ctx.cells)
    if (cell.GroupKey() == key) results.MarkExcluded(cell.id, reason);
}

// One repetition of `cell`, measured again while the host check finds the host slowed and
// retries remain; the disturbed attempts are kept in the cell's "discarded" list.
Outcome MeasureRepetition(RunContext& ctx, ResultsFile& results, HostGate& gate,
                          const CellSpec& cell, int round, launch::Server& server,
                          Progress& progress) {
  for (int attempt = 0;; ++attempt) {
    double before = gate.Before(ctx.stop);
    Outcome outcome = RunRepetition(ctx.suite, cell, round, server, ctx.load, progress, ctx.stop);
    if (outcome.kind != Outcome::kOk) return outcome;
    json host = gate.After(before);
    outcome.repetition["host"] = host;
    if (host.is_null() || !host["disturbed"].get<bool>() ||
        attempt >= ctx.suite.host_check.retries || ctx.stop)
      return outcome;
    std::string reason = DisturbedReason(host);
    results.AddDiscarded(cell.id, std::move(outcome.repetition), reason);
    results.Save();
    progress.Note("discarded " + cell.id + " round " + std::to_string(round) + " (" +
                  std::to_string(static_cast<long>(outcome.rps)) + " req/s): " + reason +
                  "; measuring it again");
  }
}

HostGate::ProbeFn HostProbe(const RunOptions& options, const std::vector<int>& server_cpus) {
  if (options.host_probe) return options.host_probe;
  auto probe = std::make_shared<launch::HostSpeedProbe>(VenvPython(), server_cpus);
  return [probe] { return probe->Measure(); };
}

json HostCheckMeta(const HostCheck& check, const HostGate& gate) {
  return {{"enabled", check.enabled},
          {"min_speed", check.min_speed},
          {"retries", check.retries},
          {"wait_s", check.wait_s},
          {"probe", "fixed pure-Python loop on the server CPUs, million iterations/s"},
          {"reference", gate.reference()}};
}

bool Pending(ResultsFile& results, const CellSpec& cell, int round, int planned) {
  return !results.Finished(cell.id, planned) && results.RepetitionsDone(cell.id) < round;
}

}  // namespace

load::Options CellLoadOptions(const Suite& suite, size_t route, size_t level, int port) {
  load::Options options;
  options.host = "127.0.0.1";
  options.port = port;
  options.threads = suite.load_threads;
  options.duration_s = suite.duration_s;
  options.warmup_s = 0;
  options.timeout_s = suite.timeout_s;
  options.requests = suite.routes[route].requests;
  const LoadLevel& l = suite.levels[level];
  if (l.model == "closed") {
    options.connections = l.concurrency;
    options.rate = 0;
  } else {
    options.connections = suite.open_connections;
    options.rate = l.rate;
    options.arrival =
        suite.arrival == "poisson" ? load::Arrival::kPoisson : load::Arrival::kUniform;
  }
  options.threads = std::min(options.threads, options.connections);
  return options;
}

RunReport RunSuite(const Suite& suite, const RunOptions& options, const LoadFn& load,
                   const VerifyFn& verify, const std::atomic<bool>& stop) {
  RunContext ctx{suite, options, load, verify, stop, {}, {}, {}, {}, {}, {}, {}};
  ctx.catalog = launch::LoadServerCatalog(suite.servers_file);
  ctx.frameworks = LoadFrameworks(suite.frameworks_file);
  CheckNames(ctx);
  ctx.server_cpus = launch::ParseCpuList(suite.server_cpus, "suite pinning.server_cpus");
  ctx.load_cpus = launch::ParseCpuList(suite.load_cpus, "suite pinning.load_cpus");
  launch::PinCurrentThread(ctx.load_cpus);  // the load threads started later inherit it
  ctx.cells = ExpandCells(suite);
  std::filesystem::path out = std::filesystem::absolute(options.out);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  ctx.logs = out.parent_path() / (out.stem().string() + ".logs");
  std::filesystem::create_directories(ctx.logs);

  ResultsFile results(out);
  if (!options.fresh) results.LoadEarlier();
  for (const CellSpec& cell : ctx.cells) {
    const launch::ServerTemplate& t = ctx.catalog.servers.at(cell.server);
    const LoadLevel& level = suite.levels[cell.level];
    json fields = {{"framework", cell.framework},
                   {"profile", cell.profile},
                   {"server", cell.server},
                   {"db", cell.db},
                   {"route", suite.routes[cell.route].name},
                   {"model", level.model},
                   {"concurrency", level.model == "closed" ? json(level.concurrency) : json()},
                   {"rate", level.model == "open" ? json(level.rate) : json()},
                   {"server_quirks", t.quirks}};
    results.AddCell(cell.id, CellDefinition(suite, cell, t.source), fields);
  }
  results.Meta() = BuildMeta(ctx, results);
  results.Save();

  std::vector<Block> blocks = PlanBlocks(suite, ctx.cells);
  int total = 0;
  for (const Block& block : blocks)
    for (size_t index : block.cells)
      total += Pending(results, ctx.cells[index], block.round, suite.repetitions);
  Progress progress(total, options.progress);
  if (results.Reused() > 0)
    progress.Note("resuming " + out.string() + ": " + std::to_string(results.Reused()) +
                  " cells kept, " + std::to_string(total) + " repetitions to run");
  std::map<std::string, std::string> vars = {{"python", VenvPython().string()},
                                             {"root", SourceDir().string()},
                                             {"fwbench", options.fwbench_exe.string()}};
  Databases dbs(out.parent_path() / (out.stem().string() + ".db"), ctx.catalog.db_init, vars,
                (ctx.logs / "database.log").string());

  HostGate gate(suite.host_check, HostProbe(options, ctx.server_cpus),
                [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); });
  if (total > 0) gate.Calibrate();

  RunReport report;
  report.reused = results.Reused();
  for (const Block& block : blocks) {
    if (stop) break;
    BlockServers servers(ctx, dbs, block, progress);
    for (size_t index : block.cells) {
      if (stop) break;
      const CellSpec& cell = ctx.cells[index];
      if (!Pending(results, cell, block.round, suite.repetitions)) continue;
      std::string reason;
      bool excluded = false;
      launch::Server* server = servers.Get(cell, reason, excluded);
      SetGroupVerify(ctx, results, cell.GroupKey(), servers.VerifyOf(cell.GroupKey()));
      if (!server) {
        if (excluded) {
          ExcludeGroup(ctx, results, cell.GroupKey(), reason);
          progress.Note("excluded " + cell.GroupKey() + ": " + reason);
        } else {
          results.MarkFailed(cell.id, reason);
          progress.Begin(cell.id, block.round, suite.repetitions);
          progress.End(0, 0, "failed: " + reason.substr(0, 200));
        }
        results.Save();
        continue;
      }
      progress.Begin(cell.id, block.round, suite.repetitions);
      Outcome outcome = MeasureRepetition(ctx, results, gate, cell, block.round, *server, progress);
      if (outcome.kind == Outcome::kInterrupted) break;
      if (outcome.kind == Outcome::kFailed) {
        results.MarkFailed(cell.id, outcome.reason);
        servers.Drop(cell.GroupKey());
        progress.End(0, 0, "failed: " + outcome.reason.substr(0, 200));
      } else {
        results.AddRepetition(cell.id, std::move(outcome.repetition), suite.repetitions);
        progress.End(outcome.rps, outcome.errors);
      }
      results.Save();
    }
  }
  progress.Finish();
  report.interrupted = stop;
  results.Meta()["host_check"] = HostCheckMeta(suite.host_check, gate);
  results.Meta()["ended_at"] = UtcNow();
  results.Meta()["state"] = report.interrupted ? "interrupted" : "complete";
  for (const CellSpec& cell : ctx.cells) {
    std::string status = results.Cell(cell.id)["status"];
    report.ok += status == "ok";
    report.failed += status == "failed";
    report.excluded += status == "excluded";
    report.incomplete += status == "incomplete";
  }
  results.Save();
  return report;
}

}  // namespace fwbench::suite
