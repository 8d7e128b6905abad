// The runner against a stand-in server (tiny_server.py) and a stand-in load generator, so it
// is tested without the real apps: cells, failures, exclusions, resume, orphans, the schema.
#include "suite/runner.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <thread>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "launch/proc_tree.h"
#include "schema_check.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json LoadDoc(const load::Options& options, long ok, long errors, double elapsed, bool stopped) {
  json latency = {{"p50_us", 100}, {"p99_us", 200}, {"p999_us", 300}};
  return {{"schema", "fwbench.load/1"},
          {"config", {{"connections", options.connections}}},
          {"elapsed_s", elapsed},
          {"interrupted", stopped},
          {"overall",
           {{"requests", ok},
            {"rps", elapsed > 0 ? ok / elapsed : 0},
            {"errors", {{"connect", errors}}},
            {"status", {{"2xx", ok}}},
            {"latency", {{"corrected", latency}, {"uncorrected", latency}}}}},
          {"routes", json::object()},
          {"timeseries", json::array()}};
}

// Plays the session's slices in real time: during each slice, GETs the first request's path
// round-robin from every active target over one keep-alive client per target.
load::SessionReport FakeSession(const load::SessionOptions& session,
                                const std::atomic<bool>& stop) {
  const size_t targets = session.ports.size();
  std::vector<std::unique_ptr<httplib::Client>> clients;
  for (int port : session.ports) {
    clients.push_back(std::make_unique<httplib::Client>(session.load.host, port));
    clients.back()->set_tcp_nodelay(true);
    clients.back()->set_connection_timeout(0, 200000);
    clients.back()->set_read_timeout(1, 0);
  }
  load::SessionReport report;
  report.slices.assign(targets, std::vector<load::SliceResult>(session.slices.size()));
  const auto zero = std::chrono::steady_clock::now();
  std::vector<long> ok(targets), errors(targets);
  std::vector<double> active_s(targets);
  for (size_t s = 0; s < session.slices.size() && !stop; ++s) {
    const auto& slice = session.slices[s];
    std::this_thread::sleep_until(zero + std::chrono::duration<double>(slice.start_s));
    const auto end = zero + std::chrono::duration<double>(slice.start_s + slice.duration_s);
    for (size_t t = 0; t < targets; ++t)
      active_s[t] += slice.measured * (slice.active >> t & 1) * slice.duration_s;
    while (!stop && std::chrono::steady_clock::now() < end) {
      for (size_t t = 0; t < targets; ++t) {
        if (!(slice.active >> t & 1)) continue;
        auto response = clients[t]->Get(session.load.requests.at(0).path.c_str());
        load::SliceResult& r = report.slices[t][s];
        if (!slice.measured) {  // settling: sent, not counted
          if (!response) std::this_thread::sleep_for(std::chrono::milliseconds(5));
        } else if (response && response->status == 200) {
          ++r.requests;
          ++ok[t];
        } else {
          ++r.errors;
          ++errors[t];
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
      }
    }
  }
  for (size_t t = 0; t < targets; ++t)
    report.targets.push_back(LoadDoc(session.load, ok[t], errors[t], active_s[t], stop.load()));
  return report;
}

// A session without traffic: target t completes requests_per_slice(t, call) in each of its
// slices, as if it had; servers stay idle. `calls` counts the sessions.
load::SessionReport SyntheticSession(const load::SessionOptions& session,
                                     const std::function<long(size_t, int)>& requests_per_slice,
                                     int call) {
  load::SessionReport report;
  for (size_t t = 0; t < session.ports.size(); ++t) {
    long total = 0;
    double active_s = 0;
    std::vector<load::SliceResult> slices;
    for (const auto& slice : session.slices) {
      const bool on = slice.measured && (slice.active >> t & 1);
      slices.push_back({on ? static_cast<uint64_t>(requests_per_slice(t, call)) : 0, 0});
      total += static_cast<long>(slices.back().requests);
      active_s += on * slice.duration_s;
    }
    report.slices.push_back(slices);
    report.targets.push_back(LoadDoc(session.load, total, 0, active_s, false));
  }
  return report;
}

VerifyOutcome Pass(const std::string&, const std::string&, const std::string&) {
  return {true, 1, {}};
}

class RunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("fwbench-runner-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::string server = (SourceDir() / "tests" / "cpp" / "suite" / "tiny_server.py").string();
    json servers = {
        {"schema", "fwbench.servers/1"},
        {"servers",
         {{"tiny", {{"argv", {"{python}", server, "--port", "{port}"}}, {"quirks", {"stand-in"}}}},
          {"tiny-workers", {{"argv", {"{python}", server, "--port", "{port}", "--worker"}}}},
          {"crashy", {{"argv", {"{python}", server, "--port", "{port}", "--exit-after", "40"}}}}}}};
    WriteJsonAtomic(dir_ / "servers.json", servers);
    json frameworks = {{"frameworks",
                        {{"fa", {{"dir", dir_.string()}, {"wsgi", "a:app"}}},
                         {"fb", {{"dir", dir_.string()}, {"wsgi", "b:app"}}}}}};
    WriteJsonAtomic(dir_ / "frameworks.json", frameworks);
  }
  void TearDown() override { fs::remove_all(dir_); }

  Suite MakeSuite(const std::string& servers, int repetitions = 1, double duration = 0.4,
                  const json& extra = json::object()) {
    json doc = {{"schema", "fwbench.suite/1"},
                {"frameworks", {"fa", "fb"}},
                {"profiles", {"minimal"}},
                {"servers", json::parse(servers)},
                {"databases", {"sqlite"}},
                {"routes", {"json"}},
                {"load", {{"closed", {2}}}},
                {"warmup_s", 0.1},
                {"paired", {{"slice_s", 0.1}, {"warmup_max_s", 0.4}}},
                {"duration_s", duration},
                {"repetitions", repetitions},
                {"ready_timeout_s", 30},
                {"servers_file", (dir_ / "servers.json").string()},
                {"frameworks_file", (dir_ / "frameworks.json").string()}};
    doc.update(extra);
    return ParseSuite(doc.dump(2), "test-suite.json");
  }

  RunOptions Options() {
    RunOptions options;
    options.out = dir_ / "results.json";
    options.progress = false;
    options.fwbench_exe = "/bin/false";
    options.host_probe = [] { return 10.0; };  // a quiet host; the real probe is tested apart
    return options;
  }

  json Results() { return ReadJsonFile(dir_ / "results.json"); }

  json CellsByStatus(const std::string& status) {
    json out = json::array();
    const json results = Results();
    for (const auto& cell : results["cells"])
      if (cell["status"] == status) out.push_back(cell);
    return out;
  }

  fs::path dir_;
  std::atomic<bool> stop_{false};
};

json V2Schema() { return ReadJsonFile(SourceDir() / "results" / "schema" / "results.v2.json"); }

TEST_F(RunnerTest, MeasuresEveryCellAndWritesAFileThatMatchesTheSchema) {
  RunReport report = RunSuite(MakeSuite(R"(["tiny"])", 2), Options(), FakeSession, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  EXPECT_FALSE(report.interrupted);
  json results = Results();
  for (const auto& e : testing::CheckSchema(V2Schema(), results)) ADD_FAILURE() << e;
  EXPECT_EQ(results["schema"], "fwbench.results/2");
  EXPECT_EQ(results["meta"]["state"], "complete");
  EXPECT_EQ(results["meta"]["paired"]["mode"], "slices");
  // The measured interpreter's build and what the embedded server links.
  const json& build = results["meta"]["python_build"];
  EXPECT_EQ(build["version"], results["meta"]["python"]);
  for (const char* flag : {"pgo", "lto"})
    EXPECT_TRUE(build[flag].is_boolean() || build[flag] == "unknown") << flag << build[flag];
  EXPECT_EQ(build["shared"], !build["libpython"].empty());
  EXPECT_EQ(results["meta"]["venv"], VenvDir().string());
  EXPECT_NE(results["meta"]["embedded_python"]["libpython"].get<std::string>().find("libpython"),
            std::string::npos);
  ASSERT_EQ(results["cells"].size(), 2u);
  std::set<std::string> seeds;
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["status"], "ok") << cell["reason"];
    EXPECT_EQ(cell["group"], "tiny/sqlite/json/closed-c2");
    EXPECT_EQ(cell["repetitions"].size(), 2u);
    EXPECT_EQ(cell["summary"]["rps"]["n"], 2);
    EXPECT_TRUE(cell["verify"]["passed"]);
    EXPECT_GT(cell["cold_start_ms"].get<double>(), 0);
    EXPECT_EQ(cell["server_quirks"][0], "stand-in");
    for (const auto& rep : cell["repetitions"]) {
      const json& server = rep["server"];
      EXPECT_GT(server["rss_peak_bytes_per_worker"].get<long>(), 0);
      EXPECT_GT(server["cpu_us_per_request"].get<double>(), 0);
      ASSERT_EQ(rep["slices"].size(), 4u);  // 0.4 s of 0.1 s slices
      long requests = 0;
      for (const auto& slice : rep["slices"]) requests += slice["requests"].get<long>();
      EXPECT_EQ(requests, rep["load"]["overall"]["requests"].get<long>());
      seeds.insert(rep["hash_seed"].get<std::string>());
      EXPECT_GT(rep["warmup"]["seconds"].get<double>(), 0);
    }
  }
  EXPECT_EQ(seeds.size(), 4u);  // every server start (2 apps x 2 rounds) has its own seed
  ASSERT_EQ(results["comparisons"].size(), 1u);
  const json& c = results["comparisons"][0];
  EXPECT_EQ(c["a"], "fa/minimal/tiny/sqlite/json/closed-c2");
  EXPECT_EQ(c["b"], "fb/minimal/tiny/sqlite/json/closed-c2");
  EXPECT_EQ(c["rounds"], 2);
  EXPECT_EQ(c["metrics"]["rps"]["per_round"].size(), 2u);
  EXPECT_TRUE(fs::exists(dir_ / "results.logs" / "fa-minimal-tiny-sqlite.log"));
}

// Every measured start reads a warm bytecode cache; one start per app and run follows a wipe
// of the app's own __pycache__ and is recorded apart as cold_compile_ms.
TEST_F(RunnerTest, MeasuredStartsAreWarmAndOneStartPerAppCompiles) {
  for (const std::string app : {"a", "b"}) {
    fs::create_directories(dir_ / ("app_" + app));
    std::ofstream(dir_ / ("app_" + app) / ("mod_" + app + ".py")) << "VALUE = 1\n";
    std::ofstream(dir_ / ("app_" + app) / "lazy.py") << "VALUE = 2\n";  // never imported
  }
  const std::string server = (SourceDir() / "tests" / "cpp" / "suite" / "tiny_server.py").string();
  json servers = ReadJsonFile(dir_ / "servers.json");
  servers["servers"]["tiny-import"] = {
      {"argv",
       {"{python}", server, "--port", "{port}", "--import", "mod_{framework}", "--report",
        (dir_ / "starts.txt").string()}}};
  WriteJsonAtomic(dir_ / "servers.json", servers);
  json frameworks = {{"frameworks", json::object()}};
  for (const std::string app : {"a", "b"})
    frameworks["frameworks"][app] = {{"dir", (dir_ / ("app_" + app)).string()},
                                     {"wsgi", "x:app"},
                                     {"pythonpath", {(dir_ / ("app_" + app)).string()}}};
  WriteJsonAtomic(dir_ / "frameworks.json", frameworks);
  RunReport report = RunSuite(MakeSuite(R"(["tiny-import"])", 2, 0.4, {{"frameworks", {"a", "b"}}}),
                              Options(), FakeSession, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  std::ifstream in(dir_ / "starts.txt");
  std::map<std::string, std::vector<std::string>> starts;
  for (std::string module, state; in >> module >> state;) starts[module].push_back(state);
  for (const std::string app : {"a", "b"}) {
    // The compile start, then one start per round, each with the cache the compile start left.
    EXPECT_EQ(starts["mod_" + app], (std::vector<std::string>{"cold", "warm", "warm"})) << app;
    // Compiled by the runner's warm-up, since no server imports it.
    bool lazy = false;
    for (const auto& f : fs::directory_iterator(dir_ / ("app_" + app) / "__pycache__"))
      lazy |= f.path().filename().string().rfind("lazy.", 0) == 0;
    EXPECT_TRUE(lazy) << app;
  }
  json results = Results();
  for (const auto& e : testing::CheckSchema(V2Schema(), results)) ADD_FAILURE() << e;
  for (const auto& cell : results["cells"]) {
    EXPECT_GT(cell["cold_compile_ms"].get<double>(), 0);
    const json& cold = cell["summary"]["cold_start_ms"];
    EXPECT_EQ(cold["n"], 2);
    EXPECT_TRUE(cold["ci95"].is_array());
    EXPECT_DOUBLE_EQ(cell["cold_start_ms"].get<double>(), cold["estimate"].get<double>());
  }
  // Resumed for a third round: the figure is kept and the cache not wiped again.
  RunSuite(MakeSuite(R"(["tiny-import"])", 3, 0.4, {{"frameworks", {"a", "b"}}}), Options(),
           FakeSession, Pass, stop_);
  std::ifstream again(dir_ / "starts.txt");
  std::map<std::string, int> cold, all;
  for (std::string module, state; again >> module >> state;) {
    cold[module] += state == "cold";
    ++all[module];
  }
  for (const std::string app : {"a", "b"}) {
    EXPECT_EQ(all["mod_" + app], 4) << app;
    EXPECT_EQ(cold["mod_" + app], 1) << app;
  }
}

// CPU is read per process tree: a server kept busy by the load gets it, an idle one does not.
TEST_F(RunnerTest, SliceCpuGoesToTheAppThatWasLoaded) {
  auto only_first = [](const load::SessionOptions& s, const std::atomic<bool>& stop) {
    load::SessionOptions one = s;
    for (auto& slice : one.slices) slice.active &= 1;  // the second app is never sent to
    return FakeSession(one, stop);
  };
  RunSuite(MakeSuite(R"(["tiny"])", 1, 1.0), Options(), only_first, Pass, stop_);
  json results = Results();
  double busy = 0, idle = 0;
  for (const auto& cell : results["cells"]) {
    double cpu = 0;
    for (const auto& slice :
         cell["repetitions"].empty() ? json::array() : cell["repetitions"][0]["slices"])
      cpu += slice["cpu_s"].get<double>();
    (cell["framework"] == "fa" ? busy : idle) += cpu;
  }
  EXPECT_GT(busy, 0.05);  // python serving for 1 s of slices
  EXPECT_LT(idle, busy / 5);
  // The idle app completed nothing, so its round is not ok; the loaded one is.
  for (const auto& cell : results["cells"])
    EXPECT_EQ(cell["status"], cell["framework"] == "fa" ? "ok" : "failed");
}

TEST_F(RunnerTest, ServerCrashingMidRoundFailsOnlyItsCellsWithItsExitStatus) {
  RunReport report =
      RunSuite(MakeSuite(R"(["crashy", "tiny"])", 1, 2), Options(), FakeSession, Pass, stop_);
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(report.ok, 2);
  for (const auto& cell : CellsByStatus("failed")) {
    EXPECT_EQ(cell["server"], "crashy");
    std::string reason = cell["reason"];
    EXPECT_NE(reason.find("exited with code 3"), std::string::npos) << reason;
  }
  for (const auto& cell : CellsByStatus("ok")) EXPECT_EQ(cell["server"], "tiny");
}

// The warmup's first session covers warmup_s by itself (no reconnect and no drain of
// in-flight requests inside the minimum warmup), unless that would pass warmup_max_s.
TEST_F(RunnerTest, FirstWarmupSessionCoversWarmupSUnlessThatPassesTheCap) {
  struct Case {
    std::string mode;
    double warmup_max_s;
    size_t first_slices;  // 0.4 s of warmup_s in 0.1 s slices, two apps
  };
  for (const Case& c : {Case{"duet", 1.0, 4}, Case{"slices", 1.0, 8}, Case{"slices", 0.5, 4}}) {
    std::vector<size_t> slices;
    auto counting = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
      slices.push_back(o.slices.size());
      return FakeSession(o, s);
    };
    json extra = {
        {"warmup_s", 0.4},
        {"paired", {{"mode", c.mode}, {"slice_s", 0.1}, {"warmup_max_s", c.warmup_max_s}}}};
    RunReport report =
        RunSuite(MakeSuite(R"(["tiny"])", 1, 0.2, extra), Options(), counting, Pass, stop_);
    EXPECT_EQ(report.ok, 2) << c.mode;
    ASSERT_GE(slices.size(), 2u) << c.mode;
    EXPECT_EQ(slices.front(), c.first_slices) << c.mode << " " << c.warmup_max_s;
    for (const auto& cell : Results()["cells"])
      EXPECT_GE(cell["repetitions"][0]["warmup"]["seconds"].get<double>(), 0.4 - 1e-9);
    fs::remove(dir_ / "results.json");
  }
}

TEST_F(RunnerTest, AppThatFailsVerifyIsExcludedAndNeverMeasured) {
  std::atomic<int> sessions{0};
  std::atomic<bool> two_targets{false};
  auto counting = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    ++sessions;
    if (o.ports.size() != 1) two_targets = true;
    return FakeSession(o, s);
  };
  auto verify = [](const std::string&, const std::string&, const std::string&) {
    static int calls = 0;
    return ++calls == 1 ? VerifyOutcome{true, 3, {}}
                        : VerifyOutcome{false, 3, {"json status: expected 200, got 500"}};
  };
  RunReport report = RunSuite(MakeSuite(R"(["tiny"])"), Options(), counting, verify, stop_);
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(report.excluded, 1);
  EXPECT_GE(sessions, 2);  // warmup and measured, for the verified app only
  EXPECT_FALSE(two_targets);
  json excluded = CellsByStatus("excluded");
  ASSERT_EQ(excluded.size(), 1u);
  EXPECT_NE(excluded[0]["reason"].get<std::string>().find("expected 200, got 500"),
            std::string::npos);
  EXPECT_FALSE(excluded[0]["verify"]["passed"]);
  EXPECT_TRUE(Results()["comparisons"].empty());
}

// The first target's server serves only some of its connections: its cell and the comparison
// are flagged starved, with the counts of the worst round; unfinished requests are summed.
TEST_F(RunnerTest, StarvedConnectionsFlagTheCellAndItsComparison) {
  auto starving = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    load::SessionReport report = FakeSession(o, s);
    for (size_t t = 0; t < report.targets.size(); ++t) {
      const bool starve = t == 0 && o.ports.size() == 2;
      json completed = starve ? json{40, 0} : json{20, 20};
      report.targets[t]["connections"] = {{"count", 2},
                                          {"completed_min", starve ? 0 : 20},
                                          {"completed_median", 20},
                                          {"completed_max", starve ? 40 : 20},
                                          {"starved", starve ? 1 : 0},
                                          {"timeouts_max_per_connection", starve ? 3 : 0},
                                          {"errors_max_per_connection", starve ? 3 : 0},
                                          {"completed", completed},
                                          {"timeouts", starve ? json{0, 3} : json{0, 0}},
                                          {"errors", starve ? json{0, 3} : json{0, 0}}};
      report.targets[t]["overall"]["unfinished"] = 2;
      for (auto& slice : report.slices[t]) slice.unfinished = 1;
    }
    return report;
  };
  RunReport report = RunSuite(MakeSuite(R"(["tiny"])", 2), Options(), starving, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  const json results = Results();
  for (const auto& e : testing::CheckSchema(V2Schema(), results)) ADD_FAILURE() << e;
  ASSERT_EQ(results["cells"].size(), 2u);
  int starved = 0;
  for (const auto& cell : results["cells"]) {
    ASSERT_TRUE(cell["connections"].is_object()) << cell.dump();
    EXPECT_EQ(cell["connections"]["count"], 2);
    EXPECT_EQ(cell["unfinished"], 4);  // 2 per round
    EXPECT_EQ(cell["repetitions"][0]["slices"][0]["unfinished"], 1);
    if (!cell["starved"].get<bool>()) {
      EXPECT_EQ(cell["connections"]["starved"], 0);
      continue;
    }
    ++starved;
    EXPECT_EQ(cell["connections"]["starved"], 1);
    EXPECT_EQ(cell["connections"]["starved_rounds"], 2);
    EXPECT_EQ(cell["connections"]["completed_min"], 0);
    EXPECT_EQ(cell["connections"]["timeouts_max_per_connection"], 3);
  }
  EXPECT_EQ(starved, 1);
  ASSERT_EQ(results["comparisons"].size(), 1u);
  EXPECT_TRUE(results["comparisons"][0]["starved"].get<bool>());
}

TEST_F(RunnerTest, InterruptMidRoundKeepsFinishedGroupsAndRerunResumesTheRest) {
  json two_routes = {{"routes", {"json", "db"}}};
  Suite suite = MakeSuite(R"(["tiny"])", 2, 0.4, two_routes);
  std::atomic<int> measured{0};
  auto stop_after_first_group = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    load::SessionReport report = FakeSession(o, s);
    if (o.zero_ns != 0 && ++measured == 1) stop_ = true;  // after round 1's first group
    return report;
  };
  RunReport first = RunSuite(suite, Options(), stop_after_first_group, Pass, stop_);
  EXPECT_TRUE(first.interrupted);
  json results = Results();
  EXPECT_EQ(results["meta"]["state"], "interrupted");
  int reps = 0;
  for (const auto& cell : results["cells"]) reps += cell["repetitions"].size();
  EXPECT_EQ(reps, 0);  // the group in flight is dropped whole

  stop_ = false;
  measured = 0;
  auto stop_after_two = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    load::SessionReport report = FakeSession(o, s);
    if (o.zero_ns != 0 && ++measured == 2) stop_ = true;
    return report;
  };
  // The second group's session is the one interrupted: the first group of round 1 is kept.
  RunSuite(suite, Options(), stop_after_two, Pass, stop_);
  results = Results();
  reps = 0;
  for (const auto& cell : results["cells"]) reps += cell["repetitions"].size();
  EXPECT_EQ(reps, 2);  // one group (two apps) of round 1

  stop_ = false;
  measured = 0;
  auto counting = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    measured += o.zero_ns != 0;
    return FakeSession(o, s);
  };
  RunReport second = RunSuite(suite, Options(), counting, Pass, stop_);
  EXPECT_EQ(second.ok, 4);
  EXPECT_EQ(measured, 3);  // round 1's other group, round 2's two groups
  for (const auto& cell : Results()["cells"]) EXPECT_EQ(cell["repetitions"].size(), 2u);

  measured = 0;
  RunReport third = RunSuite(suite, Options(), counting, Pass, stop_);
  EXPECT_EQ(third.ok, 4);
  EXPECT_EQ(third.reused, 4);
  EXPECT_EQ(measured, 0);  // everything finished: nothing measured again

  RunReport changed =
      RunSuite(MakeSuite(R"(["tiny"])", 2, 0.3, two_routes), Options(), counting, Pass, stop_);
  EXPECT_EQ(changed.reused, 0);  // a changed definition is measured again
  EXPECT_EQ(measured, 2 * 2);
}

TEST_F(RunnerTest, RoundsAreAddedOnlyWhileAComparisonMissesItsTargetAndTheBudgetLasts) {
  auto run = [&](double budget_s, const std::function<long(size_t, int)>& per_slice) {
    fs::remove(dir_ / "results.json");
    auto calls = std::make_shared<int>(0);
    auto session = [&, calls](const load::SessionOptions& o, const std::atomic<bool>&) {
      return SyntheticSession(o, per_slice, o.zero_ns ? ++*calls : 0);
    };
    json extra = {{"paired",
                   {{"slice_s", 0.1},
                    {"warmup_max_s", 0.2},
                    {"target_pct", 1},
                    {"max_rounds", 5},
                    {"budget_s", budget_s}}}};
    RunSuite(MakeSuite(R"(["tiny"])", 2, 0.2, extra), Options(), session, Pass, stop_);
    return Results()["comparisons"].at(0);
  };
  // Exactly 2:1 in every round: a zero-width interval, reached after the minimum.
  json steady = run(600, [](size_t t, int) { return t == 0 ? 100L : 50L; });
  EXPECT_EQ(steady["rounds"], 2);
  EXPECT_TRUE(steady["reached"]);
  EXPECT_NEAR(steady["metrics"]["rps"]["ratio"].get<double>(), 2, 1e-9);
  // 2:1 and 2:1.2 alternating: never within 1%, so rounds are added up to max_rounds...
  auto wobbly = [](size_t t, int call) { return t == 0 ? 100L : (call % 2 ? 50L : 60L); };
  json noisy = run(600, wobbly);
  EXPECT_EQ(noisy["rounds"], 5);
  EXPECT_FALSE(noisy["reached"]);
  EXPECT_TRUE(noisy["noisy"]);
  // ...but none past the budget.
  EXPECT_EQ(run(0, wobbly)["rounds"], 2);
}

// With two profiles, one comparison of the group reaching its target does not drop its apps
// from the added rounds: a round always loads the same apps together.
TEST_F(RunnerTest, AddedRoundsLoadEveryAppOfTheGroup) {
  auto calls = std::make_shared<int>(0);
  // Targets in group order: fa/minimal, fa/standard, fb/minimal, fb/standard.
  auto per_slice = [](size_t t, int call) -> long {
    if (t == 0 || t == 1) return 100;
    if (t == 2) return 50;      // minimal: exactly 2:1, reached at once
    return call % 2 ? 50 : 60;  // standard: never within 1%
  };
  auto session = [calls, per_slice](const load::SessionOptions& o, const std::atomic<bool>&) {
    return SyntheticSession(o, per_slice, o.zero_ns ? ++*calls : 0);
  };
  json extra = {{"profiles", {"minimal", "standard"}},
                {"paired",
                 {{"slice_s", 0.1},
                  {"warmup_max_s", 0.2},
                  {"target_pct", 1},
                  {"max_rounds", 4},
                  {"budget_s", 600}}}};
  RunSuite(MakeSuite(R"(["tiny"])", 2, 0.2, extra), Options(), session, Pass, stop_);
  json results = Results();
  for (const auto& cell : results["cells"]) EXPECT_EQ(cell["repetitions"].size(), 4u) << cell["id"];
  ASSERT_EQ(results["comparisons"].size(), 2u);
  for (const auto& c : results["comparisons"]) {
    EXPECT_EQ(c["rounds"], 4);
    EXPECT_EQ(c["reached"], c["profile"] == "minimal") << c["id"];
  }
}

// Host probes: 10 (quiet) except the calls listed as slow (1), counted from 1.
std::function<double()> ProbeSlowAt(std::set<int> slow_calls) {
  auto calls = std::make_shared<int>(0);
  return [calls, slow_calls] { return slow_calls.count(++*calls) ? 1.0 : 10.0; };
}

TEST_F(RunnerTest, RoundOnASlowedHostIsDiscardedKeptAndMeasuredAgain) {
  RunOptions options = Options();
  options.host_probe = ProbeSlowAt({7});  // 5 calibration probes, then before/after pairs
  json check = {{"host_check", {{"retries", 2}, {"wait_s", 0}}}};
  RunReport report =
      RunSuite(MakeSuite(R"(["tiny"])", 1, 0.3, check), options, FakeSession, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  json results = Results();
  for (const auto& e : testing::CheckSchema(V2Schema(), results)) ADD_FAILURE() << e;
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["repetitions"].size(), 1u);
    EXPECT_FALSE(cell["repetitions"][0]["host"]["disturbed"].get<bool>());
    EXPECT_EQ(cell["summary"]["host_disturbed"], 0);
    ASSERT_EQ(cell["discarded"].size(), 1u);  // the group's round, for both apps
    const json& rep = cell["discarded"][0];
    EXPECT_TRUE(rep["host"]["disturbed"].get<bool>());
    EXPECT_EQ(rep["reason"], "host slowed to 0.10 of the run's best probe");
    EXPECT_GT(rep["load"]["overall"]["requests"].get<long>(), 0);  // the measurement is kept
  }
  EXPECT_DOUBLE_EQ(results["meta"]["host_check"]["reference"].get<double>(), 10);
}

TEST_F(RunnerTest, WhenRetriesRunOutTheDisturbedRoundIsKeptAndCounted) {
  RunOptions options = Options();
  options.host_probe = ProbeSlowAt({7});  // the group's after-probe is slow
  json check = {{"host_check", {{"retries", 0}, {"wait_s", 0}}}};
  RunReport report =
      RunSuite(MakeSuite(R"(["tiny"])", 1, 0.3, check), options, FakeSession, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  for (const auto& cell : Results()["cells"]) {
    EXPECT_FALSE(cell.contains("discarded"));
    EXPECT_EQ(cell["summary"]["host_disturbed"], 1);
    EXPECT_TRUE(cell["repetitions"][0]["host"]["disturbed"].get<bool>());
  }
}

// The pid of a process group leader whose parent is `parent` (the server fwbench started).
pid_t FindServerOf(pid_t parent) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    pid_t pid = std::atoi(entry.path().filename().c_str());
    launch::ProcSample sample;
    if (pid > 0 && launch::ReadProcStat(pid, sample) && sample.ppid == parent &&
        ::getpgid(pid) == pid)
      return pid;
  }
  return 0;
}

// "compare": "servers": one framework on two servers is one group, measured together, with one
// server comparison; a server whose template says "verify": "skip" is never verified and its
// cells say so.
TEST_F(RunnerTest, ServersAreComparedForOneFrameworkAndASkippedVerifyIsFlagged) {
  json servers = ReadJsonFile(dir_ / "servers.json");
  servers["servers"]["tiny-skip"] = servers["servers"]["tiny"];
  servers["servers"]["tiny-skip"]["verify"] = "skip";
  WriteJsonAtomic(dir_ / "servers.json", servers);
  std::atomic<int> verified{0};
  std::atomic<size_t> most_targets{0};
  auto verify = [&](const std::string&, const std::string&, const std::string&) {
    ++verified;
    return VerifyOutcome{true, 1, {}};
  };
  auto session = [&](const load::SessionOptions& o, const std::atomic<bool>& s) {
    most_targets = std::max(most_targets.load(), o.ports.size());
    return FakeSession(o, s);
  };
  Suite suite = MakeSuite(R"(["tiny", "tiny-skip"])", 2, 0.4,
                          {{"frameworks", {"fa"}}, {"compare", "servers"}});
  RunReport report = RunSuite(suite, Options(), session, verify, stop_);
  EXPECT_EQ(report.ok, 2);
  EXPECT_EQ(verified, 1);       // tiny only
  EXPECT_EQ(most_targets, 2u);  // both servers in one session
  json results = Results();
  for (const auto& e : testing::CheckSchema(V2Schema(), results)) ADD_FAILURE() << e;
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["group"], "fa/sqlite/json/closed-c2");
    const bool skip = cell["server"] == "tiny-skip";
    EXPECT_EQ(cell["verify_skipped"], skip) << cell["id"];
    EXPECT_EQ(cell["verify"].is_null(), skip) << cell["id"];
  }
  ASSERT_EQ(results["comparisons"].size(), 1u);
  const json& c = results["comparisons"][0];
  EXPECT_EQ(c["id"], "tiny~tiny-skip/minimal/fa/sqlite/json/closed-c2");
  EXPECT_EQ(c["axis"], "server");
  EXPECT_EQ(c["server_a"], "tiny");
  EXPECT_EQ(c["server_b"], "tiny-skip");
  EXPECT_EQ(c["a"], "fa/minimal/tiny/sqlite/json/closed-c2");
  EXPECT_EQ(c["rounds"], 2);
}

// Servers and frameworks carry an interface; a suite whose every pair differs stops before
// anything starts, naming both catalogues.
TEST_F(RunnerTest, ASuiteOfOnlyIncompatiblePairsStopsBeforeStartingAnything) {
  json servers = ReadJsonFile(dir_ / "servers.json");
  servers["servers"]["tiny"]["interface"] = "asgi";
  WriteJsonAtomic(dir_ / "servers.json", servers);
  try {
    RunSuite(MakeSuite(R"(["tiny"])"), Options(), FakeSession, Pass, stop_);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("fa (wsgi), fb (wsgi)"), std::string::npos) << what;
    EXPECT_NE(what.find("tiny (asgi)"), std::string::npos) << what;
    EXPECT_NE(what.find((dir_ / "servers.json").string()), std::string::npos) << what;
  }
  EXPECT_FALSE(fs::exists(dir_ / "results.json"));
}

TEST_F(RunnerTest, SigkillOfTheRunnerLeavesNoServerProcess) {
  Suite suite = MakeSuite(R"(["tiny-workers"])", 1, 60);
  pid_t runner = ::fork();
  if (runner == 0) {
    std::atomic<bool> never{false};
    try {
      RunSuite(suite, Options(), FakeSession, Pass, never);
    } catch (...) {
    }
    ::_exit(0);
  }
  pid_t server = 0;
  std::vector<launch::ProcSample> tree;
  // Searched again until one has its worker: the runner first starts each app once for its
  // "cold (compile)" figure and stops it, so the first server found may be gone.
  for (int i = 0; i < 1500 && tree.size() < 2; ++i) {  // up to 30 s for the start
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (pid_t found = FindServerOf(runner)) {
      server = found;
      tree = launch::SampleTree(server);
    }
  }
  ::kill(runner, SIGKILL);
  ::waitpid(runner, nullptr, 0);
  ASSERT_GE(tree.size(), 2u) << "the server and its worker never started";
  bool gone = false;
  for (int i = 0; i < 500 && !gone; ++i) {  // up to 10 s
    gone = ::kill(-server, 0) != 0 && errno == ESRCH;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(gone) << "processes of server group " << server << " outlived the runner";
  if (!gone) ::kill(-server, SIGKILL);
}

}  // namespace
}  // namespace fwbench::suite
