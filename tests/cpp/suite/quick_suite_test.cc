// End to end: the real fwbench binary runs bench/suites/quick.json (real load generator,
// verifier, embedded server and gunicorn, both frameworks), and a SIGKILLed `fwbench run`
// leaves no gunicorn master or worker behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "common/atomic_file.h"
#include "common/paths.h"
#include "launch/proc_tree.h"
#include "launch/process.h"
#include "launch/server.h"
#include "schema_check.h"

extern char** environ;

namespace fwbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

launch::SpawnOptions Fwbench(const std::vector<std::string>& args, const fs::path& log) {
  launch::SpawnOptions options;
  options.argv = {FWBENCH_EXE};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  for (char** e = environ; *e; ++e) options.env.push_back(*e);
  options.log_path = log;
  return options;
}

int WaitExit(launch::Process& p, double limit_s) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
  while (p.Running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (p.Running()) p.Stop(SIGKILL, 0);
  std::string exit = p.ExitDescription();
  return exit.rfind("exited with code ", 0) == 0 ? std::stoi(exit.substr(17)) : -1;
}

class QuickSuite : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fwbench-quick-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(QuickSuite, RunsEndToEndAndTheFileMatchesTheSchema) {
  fs::path out = dir_ / "results.json";
  launch::Process run = launch::Process::Spawn(
      Fwbench({"run", (SourceDir() / "bench/suites/quick.json").string(), "--out", out.string()},
              dir_ / "run.log"));
  int code = WaitExit(run, 600);
  ASSERT_EQ(code, 0) << "see " << (dir_ / "run.log");
  json results = ReadJsonFile(out);
  for (const auto& e :
       testing::CheckSchema(ReadJsonFile(SourceDir() / "results/schema/results.v2.json"), results))
    ADD_FAILURE() << e;
  // What the suite file lists, not a copy of it: adding a framework there needs no edit here.
  const json suite = ReadJsonFile(SourceDir() / "bench/suites/quick.json");
  const std::set<std::string> listed(suite["frameworks"].begin(), suite["frameworks"].end());
  std::set<std::string> frameworks, servers;
  ASSERT_EQ(results["cells"].size(), listed.size() * 4);  // x 2 servers x 2 routes
  for (const auto& cell : results["cells"]) {
    EXPECT_EQ(cell["status"], "ok") << cell["id"] << ": " << cell["reason"];
    if (cell["status"] != "ok") continue;
    frameworks.insert(cell["framework"]);
    servers.insert(cell["server"]);
    const json& rep = cell["repetitions"][0];
    EXPECT_GT(rep["load"]["overall"]["requests"].get<double>(), 0) << cell["id"];
    EXPECT_GT(rep["server"]["cpu_us_per_request"].get<double>(), 0) << cell["id"];
    EXPECT_GT(rep["server"]["rss_peak_bytes_per_worker"].get<double>(), 0) << cell["id"];
    EXPECT_TRUE(cell["verify"]["passed"]) << cell["id"];
  }
  EXPECT_EQ(frameworks, listed);
  // Every pair of the suite's frameworks in every group: n(n-1)/2 per group, 4 groups.
  EXPECT_EQ(results["comparisons"].size(), listed.size() * (listed.size() - 1) / 2 * 4);
  for (const std::string& fw : listed)
    EXPECT_FALSE(results["meta"]["versions"][fw].is_null()) << fw << "'s version not recorded";
  EXPECT_EQ(servers, (std::set<std::string>{"embedded", "gunicorn-sync"}));
  EXPECT_EQ(results["meta"]["state"], "complete");
  EXPECT_FALSE(results["meta"]["versions"]["gunicorn"].is_null());

  // Rerunning with the same --out resumes: nothing is left to measure.
  launch::Process again = launch::Process::Spawn(
      Fwbench({"run", (SourceDir() / "bench/suites/quick.json").string(), "--out", out.string()},
              dir_ / "rerun.log"));
  ASSERT_EQ(WaitExit(again, 300), 0);
  json rerun = ReadJsonFile(out);
  EXPECT_EQ(rerun["cells"], results["cells"]);
}

// --venv: a folder without bin/python, and another venv with the embedded server (which runs
// the libpython fwbench links, whatever the venv), are refused before anything starts.
TEST_F(QuickSuite, VenvFlagRefusesWhatItCannotMeasure) {
  const std::string quick = (SourceDir() / "bench/suites/quick.json").string();
  launch::Process missing = launch::Process::Spawn(Fwbench(
      {"run", quick, "--venv", (dir_ / "nope").string(), "--out", (dir_ / "r1.json").string()},
      dir_ / "missing.log"));
  EXPECT_EQ(WaitExit(missing, 30), 1);
  EXPECT_NE(launch::FileTail((dir_ / "missing.log").string(), 2000).find("(at --venv)"),
            std::string::npos);
  fs::create_directories(dir_ / "other" / "bin");
  fs::create_symlink(VenvPython(), dir_ / "other" / "bin" / "python");
  launch::Process embedded = launch::Process::Spawn(Fwbench(
      {"run", quick, "--venv", (dir_ / "other").string(), "--out", (dir_ / "r2.json").string()},
      dir_ / "embedded.log"));
  EXPECT_EQ(WaitExit(embedded, 30), 1);
  const std::string log = launch::FileTail((dir_ / "embedded.log").string(), 2000);
  EXPECT_NE(log.find("server \"embedded\" runs inside fwbench"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(dir_ / "r1.json") || fs::exists(dir_ / "r2.json"));
}

TEST_F(QuickSuite, SigkillOfFwbenchLeavesNoGunicornProcess) {
  json suite = ReadJsonFile(SourceDir() / "bench/suites/quick.json");
  suite["servers"] = {"gunicorn-sync"};
  suite["workers"] = 2;
  suite["duration_s"] = 60;
  WriteJsonAtomic(dir_ / "suite.json", suite);
  launch::Process run = launch::Process::Spawn(
      Fwbench({"run", (dir_ / "suite.json").string(), "--out", (dir_ / "r.json").string()},
              dir_ / "run.log"));
  // Find gunicorn: a group leader whose parent is fwbench, with its two workers.
  pid_t master = 0;
  std::vector<launch::ProcSample> tree;
  for (int i = 0; i < 600 && tree.size() < 3 && run.Running(); ++i) {  // up to 60 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& entry : fs::directory_iterator("/proc")) {
      pid_t pid = std::atoi(entry.path().filename().c_str());
      launch::ProcSample s;
      if (pid > 0 && launch::ReadProcStat(pid, s) && s.ppid == run.pid() && ::getpgid(pid) == pid)
        master = pid;
    }
    if (master) tree = launch::SampleTree(master);
  }
  pid_t fwbench = run.pid();
  ::kill(fwbench, SIGKILL);
  run.Running();
  ASSERT_GE(tree.size(), 3u) << "gunicorn master and workers never appeared; see "
                             << (dir_ / "run.log");
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {  // up to 20 s
    gone = ::kill(-master, 0) != 0 && errno == ESRCH;
    for (const auto& p : tree) gone = gone && ::kill(p.pid, 0) != 0;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(gone) << "gunicorn processes outlived fwbench";
  for (const auto& p : tree) ::kill(p.pid, SIGKILL);
}

}  // namespace
}  // namespace fwbench
