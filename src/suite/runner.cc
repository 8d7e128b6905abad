#include "suite/runner.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"
#include "launch/cpu_list.h"
#include "launch/host_speed.h"
#include "launch/proc_tree.h"
#include "launch/sampler.h"
#include "launch/server.h"
#include "suite/app_server.h"
#include "suite/bytecode_cache.h"
#include "suite/comparisons.h"
#include "suite/databases.h"
#include "suite/group_run.h"
#include "suite/host_gate.h"
#include "suite/matrix.h"
#include "suite/metadata.h"
#include "suite/progress.h"
#include "suite/results.h"
#include "suite/schedule.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;

// Everything one run needs besides the suite: catalogs, pinning, results, databases.
struct RunContext {
  const Suite& suite;
  const RunOptions& options;
  const SessionFn& session;
  const VerifyFn& verify;
  const std::atomic<bool>& stop;
  launch::ServerCatalog catalog;
  launch::AppCatalog frameworks;
  std::vector<int> server_cpus, load_cpus;
  std::vector<CellSpec> cells;
  SplitMix64 rng;  // slice orders, group orders, hash seeds
  std::filesystem::path logs;
  std::map<std::string, bool> verified;  // group -> passed, this run
  std::set<std::string> compiled;        // server keys whose "cold (compile)" start is done
};

void CheckNames(RunContext& ctx) {
  for (size_t i = 0; i < ctx.suite.servers.size(); ++i) {
    const std::string& name = ctx.suite.servers[i];
    const std::string where = "suite servers[" + std::to_string(i) + "]";
    if (!ctx.catalog.servers.count(name))
      throw Error("no server template named \"" + name + "\"", where,
                  "add it to " + ctx.suite.servers_file.string() + " or use one defined there");
    for (const std::string& proxy : ctx.suite.proxies.at(name)) {
      if (proxy == "none") continue;
      if (!ctx.catalog.proxies.count(proxy))
        throw Error("no proxy named \"" + proxy + "\" in " + ctx.suite.servers_file.string(),
                    where + ".proxy", "define it under \"proxies\" there");
      if (!ctx.catalog.servers.at(name).behind.count(proxy))
        throw Error("server \"" + name + "\" has no \"behind\": {\"" + proxy + "\": ...} in " +
                        ctx.suite.servers_file.string(),
                    where + ".proxy",
                    "say there how it runs behind " + proxy + ", or measure it direct");
      ProxyProgram(ctx.catalog.proxies.at(proxy));  // a missing nginx names its package now
    }
  }
  for (size_t i = 0; i < ctx.suite.frameworks.size(); ++i)
    if (!ctx.frameworks.apps.count(ctx.suite.frameworks[i]))
      throw Error("no framework named \"" + ctx.suite.frameworks[i] + "\"",
                  "suite frameworks[" + std::to_string(i) + "]",
                  "add it to " + ctx.suite.frameworks_file.string());
}

Interfaces InterfacesOf(const RunContext& ctx) {
  Interfaces out;
  for (const auto& name : ctx.suite.frameworks)
    out.frameworks[name] = ctx.frameworks.Find(name).interface;
  for (const auto& name : ctx.suite.servers)
    out.servers[name] = ctx.catalog.servers.at(name).interface;
  return out;
}

std::string ReadFileText(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

json VerifyJson(const VerifyOutcome& v) {
  return {{"passed", v.passed}, {"checks", v.checks}, {"failures", v.failures}};
}

// "nginx version: nginx/1.22.1" (from `PROGRAM -v`, which nginx prints on stderr), or null.
json ProxyVersion(const launch::ProxyTemplate& proxy) {
  std::string text;
  try {
    ProcessResult result = RunProcess({ProxyProgram(proxy), "-v"});
    text = result.err.empty() ? result.out : result.err;
  } catch (const Error&) {
    return nullptr;
  }
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text.empty() ? json(nullptr) : json(text.substr(0, 200));
}

json BuildMeta(RunContext& ctx, const ResultsFile& results) {
  std::vector<std::string> version_modules;  // every catalogue framework, not only the suite's
  for (const auto& [name, entry] : ctx.frameworks.apps)
    version_modules.push_back(entry.version_module);
  json meta = CollectMetadata(version_modules);
  json servers = json::object(), frameworks = json::object();
  for (const auto& name : ctx.suite.servers) servers[name] = ctx.catalog.servers[name].source;
  for (const auto& name : ctx.suite.frameworks) frameworks[name] = ctx.frameworks.Find(name).source;
  meta["suite"] = ctx.suite.source;
  meta["servers"] = servers;
  meta["frameworks"] = frameworks;
  json proxies = json::object();
  for (const auto& [server, list] : ctx.suite.proxies)
    for (const auto& proxy : list)
      if (proxy != "none" && !proxies.contains(proxy)) {
        proxies[proxy] = ctx.catalog.proxies.at(proxy).source;
        proxies[proxy]["version"] = ProxyVersion(ctx.catalog.proxies.at(proxy));
      }
  if (!proxies.empty()) meta["proxies"] = proxies;
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

// The servers of one (server, db) in one round: one per (framework, profile), started on first
// use with a fresh hash seed, all stopped when the round leaves the block.
class BlockServers {
 public:
  BlockServers(RunContext& ctx, Databases& dbs, ResultsFile& results, int round, Progress& progress)
      : ctx_(ctx), dbs_(dbs), results_(results), round_(round), progress_(progress) {}
  ~BlockServers() {
    for (auto& [key, server] : servers_) server.Stop();
  }

  // The running server for the cell's group, started (and verified once per run) if needed.
  // Returns nullptr and sets `reason`/`excluded` when it cannot be measured.
  launch::Server* Get(const CellSpec& cell, std::string& reason, bool& excluded) {
    std::string key = cell.GroupKey();
    auto it = servers_.find(key);
    if (it != servers_.end() && it->second.Running()) return &it->second;
    if (it != servers_.end()) {
      it->second.Stop();
      servers_.erase(it);
    }
    AppServerConfig config;
    config.server = &ctx_.catalog.servers.at(cell.server);
    config.framework = &ctx_.frameworks.Find(cell.framework);
    config.frameworks_file = ctx_.frameworks.file;
    config.profile = cell.profile;
    config.workers = ctx_.suite.workers;
    config.threads = ctx_.suite.threads;
    config.cpus = ctx_.server_cpus;
    config.fwbench_exe = ctx_.options.fwbench_exe;
    config.ready_timeout_s = ctx_.suite.ready_timeout_s;
    config.probe_path = ctx_.suite.probe_path;
    config.hash_seed = std::to_string(ctx_.rng.Next() % 4294967296ULL);
    std::string name =
        cell.framework + "-" + cell.profile + "-" + cell.ServerLabel() + "-" + cell.db;
    config.log_path = ctx_.logs / (name + ".log");
    if (cell.proxy != "none") {
      config.proxy = &ctx_.catalog.proxies.at(cell.proxy);
      config.proxy_dir = ctx_.logs / (name + ".run");
    }
    try {
      config.database_url = dbs_.Url(cell.db);
      if (!ctx_.compiled.count(key)) MeasureColdCompile(cell, config, name);
      progress_.Note("starting " + name + " (round " + std::to_string(round_) + ")");
      auto [pos, inserted] = servers_.emplace(key, StartAppServer(config));
      seeds_[key] = config.hash_seed;
      launch::Server& server = pos->second;
      if (config.server->verify_skip) {
        ctx_.verified[key] = true;  // "verify": "skip"; its cells say verify_skipped
      } else if (!ctx_.verified.count(key)) {
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

  // The PYTHONHASHSEED of the instance serving `key`.
  const std::string& SeedOf(const std::string& key) { return seeds_[key]; }

  // The verify result of the group's first start in this run, or null.
  json VerifyOf(const std::string& key) const {
    auto it = last_verify_.find(key);
    return it == last_verify_.end() ? json(nullptr) : it->second;
  }

  // Once per server key and run, unless an earlier run of the file recorded it: wipes the
  // app's own __pycache__ folders, times one start that compiles them ("cold (compile)",
  // Cell.cold_compile_ms), stops it and warms the cache again, so every measured start reads
  // a warm cache. A failed start leaves the figure null; the measured start reports why.
  void MeasureColdCompile(const CellSpec& cell, const AppServerConfig& config,
                          const std::string& name) {
    const std::string key = cell.GroupKey();
    ctx_.compiled.insert(key);
    bool missing = false;
    for (const CellSpec& c : ctx_.cells)
      missing |= c.GroupKey() == key && results_.Cell(c.id)["cold_compile_ms"].is_null();
    if (!missing) return;
    const auto& dirs = config.framework->sys_path;
    try {
      WipeBytecode(dirs);
      progress_.Note("starting " + name + " after a bytecode-cache wipe (cold compile)");
      launch::Server server = StartAppServer(config);
      const double ms = server.cold_start_ms();
      server.Stop();
      for (const CellSpec& c : ctx_.cells)
        if (c.GroupKey() == key) results_.Cell(c.id)["cold_compile_ms"] = ms;
    } catch (const std::exception& e) {
      progress_.Note("cold compile start of " + name + " failed: " + e.what());
    }
    WarmBytecode(VenvPython(), dirs);
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
  ResultsFile& results_;
  int round_;
  Progress& progress_;
  std::map<std::string, launch::Server> servers_;
  std::map<std::string, std::string> seeds_;
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

// Does `cell` get measured in `round`? Every cell until it has suite.repetitions rounds;
// after that only the cells of groups with a comparison short of its target
// (`short_groups`): every pending app of such a group, so that a round always loads the same
// apps together (in a duet, how many apps share the CPUs changes what each costs).
bool Pending(ResultsFile& results, const CellSpec& cell, int round, int min_rounds,
             const std::set<std::string>& short_groups) {
  const std::string status = results.Cell(cell.id)["status"];
  if (status == "failed" || status == "excluded") return false;
  if (results.RepetitionsDone(cell.id) >= round) return false;
  return round <= min_rounds || short_groups.count(cell.group);
}

json PairedMeta(const Suite& suite, uint64_t seed) {
  const Paired& p = suite.paired;
  return {{"mode", p.mode},
          {"slice_s", p.slice_s},
          {"slices", p.Slices(suite.duration_s)},
          {"warmup",
           {{"slice_s", p.slice_s},
            {"min_s", suite.warmup_s},
            {"max_s", p.warmup_max_s},
            {"trend_pct", p.trend_pct}}},
          {"target_pct", p.target_pct},
          {"min_rounds", suite.repetitions},
          {"max_rounds", p.max_rounds},
          {"budget_s", p.budget_s},
          {"seed", std::to_string(seed)},
          {"estimator",
           "per-round ratio of the apps' paired slices; across rounds, 95% Student-t interval "
           "on the log of the per-round values (src/common/paired_stats.h)"}};
}

// The groups of one block (suite/matrix.h: one (server, db), or one (framework, db) when the
// suite compares servers), in a random order.
std::vector<std::vector<const Group*>> Blocks(const std::vector<Group>& groups, SplitMix64& rng) {
  std::vector<std::vector<const Group*>> blocks;
  std::map<std::string, size_t> index;
  for (const Group& g : groups) {
    auto [it, added] = index.emplace(g.block, blocks.size());
    if (added) blocks.emplace_back();
    blocks[it->second].push_back(&g);
  }
  auto shuffle = [&rng](auto& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.Next() % i]);
  };
  shuffle(blocks);
  for (auto& block : blocks) shuffle(block);
  return blocks;
}

// Added rounds visit the blocks widest first (schedule.h WidestFirst); `widths` by group.
void OrderWidestFirst(std::vector<std::vector<const Group*>>& blocks,
                      const std::map<std::string, double>& widths) {
  std::vector<double> block_widths;
  for (const auto& block : blocks) {
    double w = -1;
    for (const Group* g : block)
      if (auto it = widths.find(g->key); it != widths.end()) w = std::max(w, it->second);
    block_widths.push_back(w);
  }
  std::vector<std::vector<const Group*>> ordered;
  for (size_t i : WidestFirst(block_widths)) ordered.push_back(std::move(blocks[i]));
  blocks = std::move(ordered);
}

// Runs every pending cell of `group` in `round` together. Returns false when interrupted.
bool RunGroup(RunContext& ctx, ResultsFile& results, HostGate& gate, BlockServers& servers,
              const Group& group, int round, const std::set<std::string>& short_groups,
              Progress& progress) {
  std::vector<GroupApp> apps;
  for (size_t index : group.cells) {
    const CellSpec& cell = ctx.cells[index];
    if (!Pending(results, cell, round, ctx.suite.repetitions, short_groups)) continue;
    std::string reason;
    bool excluded = false;
    launch::Server* server = servers.Get(cell, reason, excluded);
    SetGroupVerify(ctx, results, cell.GroupKey(), servers.VerifyOf(cell.GroupKey()));
    if (server) {
      apps.push_back({&cell, server});
    } else if (excluded) {
      ExcludeGroup(ctx, results, cell.GroupKey(), reason);
      progress.Note("excluded " + cell.GroupKey() + ": " + reason);
    } else {
      results.MarkFailed(cell.id, reason);
      progress.Note("failed " + cell.id + ": " + reason.substr(0, 200));
    }
    results.Save();
  }
  if (apps.empty()) return true;
  for (int attempt = 0;; ++attempt) {
    progress.Begin(group.key, round, ctx.suite.paired.max_rounds);
    const double before = gate.Before(ctx.stop);
    GroupRound measured =
        MeasureGroup(ctx.suite, apps, round, ctx.rng, ctx.session, progress, ctx.stop);
    if (measured.interrupted || ctx.stop) return false;
    const json host = gate.After(before);
    const bool disturbed = host.is_object() && host.value("disturbed", false);
    const bool again = disturbed && attempt < ctx.suite.host_check.retries;
    double rps = 0;
    long errors = 0;
    for (size_t i = 0; i < apps.size(); ++i) {
      const CellSpec& cell = *apps[i].cell;
      AppRound& app = measured.apps[i];
      if (!app.ok) {
        results.MarkFailed(cell.id, app.reason);
        servers.Drop(cell.GroupKey());
        continue;
      }
      app.repetition["host"] = host;
      app.repetition["hash_seed"] = servers.SeedOf(cell.GroupKey());
      rps += app.rps;
      errors += app.errors;
      if (again) {
        results.AddDiscarded(cell.id, std::move(app.repetition), DisturbedReason(host));
      } else {
        results.AddRepetition(cell.id, std::move(app.repetition), ctx.suite.repetitions);
      }
    }
    results.SetComparisons(BuildComparisons(results.Document()["cells"], CompareOrder(ctx.suite),
                                            ctx.suite.paired, ctx.suite.compare));
    results.Save();
    progress.End(rps, errors, again ? "host slowed; measuring the round again" : "");
    if (!again) return true;
  }
}

}  // namespace

RunReport RunSuite(const Suite& suite, const RunOptions& options, const SessionFn& session,
                   const VerifyFn& verify, const std::atomic<bool>& stop) {
  const auto started = std::chrono::steady_clock::now();
  RunContext ctx{suite, options, session, verify, stop, {}, {}, {}, {}, {}, {}, {}, {}};
  const uint64_t seed = options.seed ? options.seed : std::random_device{}();
  ctx.rng.state = seed;
  ctx.catalog = launch::LoadServerCatalog(suite.servers_file);
  ctx.frameworks = launch::LoadAppCatalog(suite.frameworks_file);
  CheckNames(ctx);
  ctx.server_cpus = launch::ParseCpuList(suite.server_cpus, "suite pinning.server_cpus");
  ctx.load_cpus = launch::ParseCpuList(suite.load_cpus, "suite pinning.load_cpus");
  launch::PinCurrentThread(ctx.load_cpus);  // the load threads started later inherit it
  const Interfaces interfaces = InterfacesOf(ctx);
  ctx.cells = ExpandCells(suite, interfaces);
  std::filesystem::path out = std::filesystem::absolute(options.out);
  if (out.has_parent_path()) std::filesystem::create_directories(out.parent_path());
  ctx.logs = out.parent_path() / (out.stem().string() + ".logs");
  std::filesystem::create_directories(ctx.logs);

  ResultsFile results(out);
  if (!options.fresh) results.LoadEarlier();
  for (const CellSpec& cell : ctx.cells) {
    const launch::ServerTemplate& t = ctx.catalog.servers.at(cell.server);
    const LoadLevel& level = suite.levels[cell.level];
    std::vector<std::string> quirks = t.quirks;
    json proxy_template = nullptr;
    if (cell.proxy != "none") {
      const launch::BehindTemplate& behind = t.behind.at(cell.proxy);
      quirks.insert(quirks.end(), behind.quirks.begin(), behind.quirks.end());
      const launch::ProxyTemplate& proxy = ctx.catalog.proxies.at(cell.proxy);
      quirks.insert(quirks.end(), proxy.quirks.begin(), proxy.quirks.end());
      proxy_template = {{"proxy", proxy.source}, {"config", ReadFileText(behind.config)}};
    }
    json fields = {{"framework", cell.framework},
                   {"profile", cell.profile},
                   {"server", cell.server},
                   {"proxy", cell.proxy},
                   {"db", cell.db},
                   {"route", suite.routes[cell.route].name},
                   {"model", level.model},
                   {"concurrency", level.model == "closed" ? json(level.concurrency) : json()},
                   {"rate", level.model == "open" ? json(level.rate) : json()},
                   {"group", cell.group},
                   {"verify_skipped", t.verify_skip},
                   {"server_quirks", quirks}};
    results.AddCell(cell.id, CellDefinition(suite, cell, t.source, proxy_template), fields);
  }
  results.Meta() = BuildMeta(ctx, results);
  results.Meta()["paired"] = PairedMeta(suite, seed);
  results.SetComparisons(BuildComparisons(results.Document()["cells"], CompareOrder(suite),
                                          suite.paired, suite.compare));
  results.Save();

  const std::vector<Group> groups = GroupCells(ctx.cells);
  int total = 0;
  for (const Group& g : groups)
    for (int round = 1; round <= suite.repetitions; ++round) {
      bool pending = false;
      for (size_t i : g.cells)
        pending |= Pending(results, ctx.cells[i], round, suite.repetitions, {});
      total += pending;
    }
  Progress progress(total, options.progress);
  for (const std::string& pair : IncompatiblePairs(suite, interfaces))
    progress.Note("not planned, different app interfaces: " + pair);
  if (results.Reused() > 0)
    progress.Note("resuming " + out.string() + ": " + std::to_string(results.Reused()) +
                  " cells kept, " + std::to_string(total) + " group rounds to run");
  std::map<std::string, std::string> vars = {{"python", VenvPython().string()},
                                             {"root", SourceDir().string()},
                                             {"fwbench", options.fwbench_exe.string()}};
  Databases dbs(out.parent_path() / (out.stem().string() + ".db"), ctx.catalog.db_init, vars,
                (ctx.logs / "database.log").string());

  // Measured starts read a warm bytecode cache (a fresh checkout has none).
  for (const auto& name : suite.frameworks)
    WarmBytecode(VenvPython(), ctx.frameworks.Find(name).sys_path);

  HostGate gate(suite.host_check, HostProbe(options, ctx.server_cpus),
                [](double s) { std::this_thread::sleep_for(std::chrono::duration<double>(s)); });
  gate.Calibrate();

  // The budget counts the time of every run of this file, resumes included, so rerunning a
  // finished file measures nothing more.
  const json& earlier = results.EarlierMeta();
  const double spent_before =
      results.Reused() > 0 && earlier.is_object() && earlier.contains("paired")
          ? earlier["paired"].value("spent_s", 0.0)
          : 0.0;
  auto spent = [&] {
    return spent_before +
           std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto budget_left = [&] { return spent() < suite.paired.budget_s; };
  RunReport report;
  report.reused = results.Reused();
  for (int round = 1; round <= suite.paired.max_rounds && !stop; ++round) {
    const bool extra = round > suite.repetitions;
    if (extra && !budget_left()) break;
    std::set<std::string> short_groups;
    std::map<std::string, double> widths;  // group -> its widest interval short of the target
    if (extra) {
      const auto short_cells = CellsShortOfTarget(results.Document()["comparisons"]);
      for (const CellSpec& cell : ctx.cells)
        if (auto it = short_cells.find(cell.id); it != short_cells.end()) {
          short_groups.insert(cell.group);
          widths[cell.group] = std::max(widths[cell.group], it->second);
        }
      if (short_groups.empty()) break;
    }
    auto blocks = Blocks(groups, ctx.rng);
    if (extra) OrderWidestFirst(blocks, widths);
    bool interrupted = false;
    for (const auto& block : blocks) {
      BlockServers servers(ctx, dbs, results, round, progress);
      for (const Group* group : block) {
        if (stop || (extra && !budget_left())) break;
        if (!RunGroup(ctx, results, gate, servers, *group, round, short_groups, progress)) {
          interrupted = true;
          break;
        }
      }
      if (interrupted || stop) break;
    }
    if (interrupted) break;
  }
  progress.Finish();
  report.interrupted = stop;
  results.Meta()["paired"]["spent_s"] = spent();
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
