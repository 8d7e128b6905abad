// The runner against a stand-in server (tiny_server.py) and a stand-in load generator, so it
// is tested without the real apps: cells, failures, exclusions, resume, orphans, the schema.
#include "suite/runner.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <thread>

#include "common/atomic_file.h"
#include "common/paths.h"
#include "launch/proc_tree.h"
#include "schema_check.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// GETs the first request's path on one keep-alive connection until the duration ends or
// `stop`; returns a minimal fwbench.load/1 document.
json FakeLoad(const load::Options& options, const std::atomic<bool>& stop) {
  httplib::Client client(options.host, options.port);
  client.set_tcp_nodelay(true);
  client.set_connection_timeout(0, 200000);
  client.set_read_timeout(1, 0);
  auto start = std::chrono::steady_clock::now();
  auto end = start + std::chrono::duration<double>(options.duration_s);
  long ok = 0, errors = 0;
  while (!stop && std::chrono::steady_clock::now() < end) {
    auto response = client.Get(options.requests.at(0).path.c_str());
    if (response && response->status == 200) {
      ++ok;
    } else {
      ++errors;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  json latency = {{"p50_us", 100}, {"p99_us", 200}, {"p999_us", 300}};
  return {{"schema", "fwbench.load/1"},
          {"config", {{"connections", options.connections}}},
          {"elapsed_s", elapsed},
          {"interrupted", stop.load()},
          {"overall",
           {{"requests", ok},
            {"rps", ok / elapsed},
            {"errors", {{"connect", errors}}},
            {"status", {{"2xx", ok}}},
            {"latency", {{"corrected", latency}, {"uncorrected", latency}}}}},
          {"routes", json::object()},
          {"timeseries", json::array()}};
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

TEST_F(RunnerTest, MeasuresEveryCellAndWritesAFileThatMatchesTheSchema) {
  RunReport report = RunSuite(MakeSuite(R"(["tiny"])", 2), Options(), FakeLoad, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  EXPECT_FALSE(report.interrupted);
  json results = Results();
  auto errors = testing::CheckSchema(
      ReadJsonFile(SourceDir() / "results" / "schema" / "results.v1.json"), results);
  for (const auto& e : errors) ADD_FAILURE() << e;
  EXPECT_EQ(results["meta"]["state"], "complete");
  ASSERT_EQ(results["cells"].size(), 2u);
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["status"], "ok") << cell["reason"];
    EXPECT_EQ(cell["repetitions"].size(), 2u);
    EXPECT_EQ(cell["summary"]["rps"]["n"], 2);
    EXPECT_TRUE(cell["verify"]["passed"]);
    EXPECT_GT(cell["cold_start_ms"].get<double>(), 0);
    EXPECT_EQ(cell["server_quirks"][0], "stand-in");
    const json& server = cell["repetitions"][0]["server"];
    EXPECT_GT(server["rss_peak_bytes_per_worker"].get<long>(), 0);
    EXPECT_GT(server["cpu_us_per_request"].get<double>(), 0);
  }
  EXPECT_TRUE(fs::exists(dir_ / "results.logs" / "fa-minimal-tiny-sqlite.log"));
}

TEST_F(RunnerTest, ServerCrashingMidCellFailsThatCellAndTheSuiteGoesOn) {
  RunReport report =
      RunSuite(MakeSuite(R"(["crashy", "tiny"])", 1, 2), Options(), FakeLoad, Pass, stop_);
  EXPECT_EQ(report.failed, 2);
  EXPECT_EQ(report.ok, 2);
  for (const auto& cell : CellsByStatus("failed")) {
    EXPECT_EQ(cell["server"], "crashy");
    std::string reason = cell["reason"];
    EXPECT_NE(reason.find("exited with code 3"), std::string::npos) << reason;
  }
  for (const auto& cell : CellsByStatus("ok")) EXPECT_EQ(cell["server"], "tiny");
}

TEST_F(RunnerTest, AppThatFailsVerifyIsExcludedAndNeverMeasured) {
  std::atomic<int> loads{0};
  auto counting = [&](const load::Options& o, const std::atomic<bool>& s) {
    ++loads;
    return FakeLoad(o, s);
  };
  auto verify = [](const std::string&, const std::string&, const std::string&) {
    static int calls = 0;
    return ++calls == 1 ? VerifyOutcome{true, 3, {}}
                        : VerifyOutcome{false, 3, {"json status: expected 200, got 500"}};
  };
  RunReport report = RunSuite(MakeSuite(R"(["tiny"])"), Options(), counting, verify, stop_);
  EXPECT_EQ(report.ok, 1);
  EXPECT_EQ(report.excluded, 1);
  EXPECT_EQ(loads, 2);  // warmup + measured, for the verified app only
  json excluded = CellsByStatus("excluded");
  ASSERT_EQ(excluded.size(), 1u);
  EXPECT_NE(excluded[0]["reason"].get<std::string>().find("expected 200, got 500"),
            std::string::npos);
  EXPECT_FALSE(excluded[0]["verify"]["passed"]);
}

TEST_F(RunnerTest, InterruptKeepsFinishedCellsAndRerunResumesTheRest) {
  Suite suite = MakeSuite(R"(["tiny"])", 2);
  std::atomic<int> loads{0};
  auto stop_after_three = [&](const load::Options& o, const std::atomic<bool>& s) {
    json report = FakeLoad(o, s);
    if (++loads == 3) stop_ = true;  // during the second repetition's measured run
    return report;
  };
  RunReport first = RunSuite(suite, Options(), stop_after_three, Pass, stop_);
  EXPECT_TRUE(first.interrupted);
  json results = Results();
  EXPECT_EQ(results["meta"]["state"], "interrupted");
  int reps = 0;
  for (const auto& cell : results["cells"]) reps += cell["repetitions"].size();
  EXPECT_EQ(reps, 1);

  stop_ = false;
  loads = 0;
  auto counting = [&](const load::Options& o, const std::atomic<bool>& s) {
    ++loads;
    return FakeLoad(o, s);
  };
  RunReport second = RunSuite(suite, Options(), counting, Pass, stop_);
  EXPECT_EQ(second.ok, 2);
  EXPECT_EQ(loads, 3 * 2);  // 3 repetitions were left, each warmup + measured

  loads = 0;
  RunReport third = RunSuite(suite, Options(), counting, Pass, stop_);
  EXPECT_EQ(third.ok, 2);
  EXPECT_EQ(third.reused, 2);
  EXPECT_EQ(loads, 0);  // everything finished: nothing measured again

  loads = 0;
  RunReport changed = RunSuite(MakeSuite(R"(["tiny"])", 2, 0.3), Options(), counting, Pass, stop_);
  EXPECT_EQ(changed.reused, 0);  // a changed definition is measured again
  EXPECT_EQ(loads, 2 * 2 * 2);
}

// Host probes: 10 (quiet) except the calls listed as slow (1), counted from 1.
std::function<double()> ProbeSlowAt(std::set<int> slow_calls) {
  auto calls = std::make_shared<int>(0);
  return [calls, slow_calls] { return slow_calls.count(++*calls) ? 1.0 : 10.0; };
}

TEST_F(RunnerTest, RepetitionOnASlowedHostIsDiscardedKeptAndMeasuredAgain) {
  RunOptions options = Options();
  options.host_probe = ProbeSlowAt({7});  // 5 calibration probes, then before/after pairs
  json check = {{"host_check", {{"retries", 2}, {"wait_s", 0}}}};
  RunReport report =
      RunSuite(MakeSuite(R"(["tiny"])", 1, 0.3, check), options, FakeLoad, Pass, stop_);
  EXPECT_EQ(report.ok, 2);
  json results = Results();
  auto errors = testing::CheckSchema(
      ReadJsonFile(SourceDir() / "results" / "schema" / "results.v1.json"), results);
  for (const auto& e : errors) ADD_FAILURE() << e;
  int discarded = 0;
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["repetitions"].size(), 1u);
    EXPECT_FALSE(cell["repetitions"][0]["host"]["disturbed"].get<bool>());
    EXPECT_EQ(cell["summary"]["host_disturbed"], 0);
    if (!cell.contains("discarded")) continue;
    ASSERT_EQ(cell["discarded"].size(), 1u);
    discarded += 1;
    const json& rep = cell["discarded"][0];
    EXPECT_TRUE(rep["host"]["disturbed"].get<bool>());
    EXPECT_EQ(rep["reason"], "host slowed to 0.10 of the run's best probe");
    EXPECT_GT(rep["load"]["overall"]["requests"].get<long>(), 0);  // the measurement is kept
  }
  EXPECT_EQ(discarded, 1);
  EXPECT_DOUBLE_EQ(results["meta"]["host_check"]["reference"].get<double>(), 10);
}

TEST_F(RunnerTest, WhenRetriesRunOutTheDisturbedRepetitionIsKeptAndCounted) {
  RunOptions options = Options();
  options.host_probe = ProbeSlowAt({7, 9});  // every after-probe of the first run is slow
  json check = {{"host_check", {{"retries", 0}, {"wait_s", 0}}}};
  RunReport report =
      RunSuite(MakeSuite(R"(["tiny"])", 1, 0.3, check), options, FakeLoad, Pass, stop_);
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

TEST_F(RunnerTest, SigkillOfTheRunnerLeavesNoServerProcess) {
  Suite suite = MakeSuite(R"(["tiny-workers"])", 1, 60);
  pid_t runner = ::fork();
  if (runner == 0) {
    std::atomic<bool> never{false};
    try {
      RunSuite(suite, Options(), FakeLoad, Pass, never);
    } catch (...) {
    }
    ::_exit(0);
  }
  pid_t server = 0;
  std::vector<launch::ProcSample> tree;
  for (int i = 0; i < 1500 && tree.size() < 2; ++i) {  // up to 30 s for the start
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (!server) server = FindServerOf(runner);
    if (server) tree = launch::SampleTree(server);
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
