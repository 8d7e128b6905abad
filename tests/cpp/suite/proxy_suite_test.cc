// End to end behind nginx: the real fwbench binary runs a tiny suite with gunicorn-sync and
// uWSGI behind nginx for both frameworks on /json and /db (SQLite). Every cell must pass verify
// through nginx and be measured, with nginx's CPU and RSS in its server figures.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include "common/atomic_file.h"
#include "common/paths.h"
#include "launch/process.h"
#include "launch/server_template.h"
#include "schema_check.h"

extern char** environ;

namespace fwbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

int RunFwbench(const std::vector<std::string>& args, const fs::path& log, double limit_s) {
  launch::SpawnOptions options;
  options.argv = {FWBENCH_EXE};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  for (char** e = environ; *e; ++e) options.env.push_back(*e);
  options.log_path = log;
  launch::Process p = launch::Process::Spawn(options);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(limit_s);
  while (p.Running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  if (p.Running()) p.Stop(SIGKILL, 0);
  std::string exit = p.ExitDescription();
  return exit.rfind("exited with code ", 0) == 0 ? std::stoi(exit.substr(17)) : -1;
}

class ProxySuite : public ::testing::Test {
 protected:
  void SetUp() override {
    if (launch::FindProgram("nginx", std::getenv("PATH") ? std::getenv("PATH") : "").empty())
      GTEST_SKIP() << "nginx is not installed (apt-get install nginx-light)";
    dir_ = fs::temp_directory_path() / ("fwbench-proxy-suite-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    if (!HasFailure() && !dir_.empty()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(ProxySuite, GunicornSyncAndUwsgiVerifyAndMeasureBehindNginx) {
  json suite = ReadJsonFile(SourceDir() / "bench/suites/quick.json");
  suite["name"] = "proxy-e2e";
  suite["frameworks"] = {"flask", "django"};
  suite["servers"] = json::array(
      {{{"name", "gunicorn-sync"}, {"proxy", "nginx"}}, {{"name", "uwsgi"}, {"proxy", "nginx"}}});
  suite["routes"] = {"json", "db"};
  suite["load"] = {{"closed", {8}}, {"threads", 1}, {"timeout_s", 2}};
  suite["warmup_s"] = 0.5;
  suite["duration_s"] = 1;
  suite["repetitions"] = 1;
  suite["paired"] = {{"mode", "duet"},  {"slice_s", 0.25}, {"warmup_max_s", 1}, {"trend_pct", 3},
                     {"target_pct", 3}, {"max_rounds", 1}, {"budget_s", 0}};
  WriteJsonAtomic(dir_ / "suite.json", suite);
  const fs::path out = dir_ / "results.json";
  ASSERT_EQ(RunFwbench({"run", (dir_ / "suite.json").string(), "--out", out.string()},
                       dir_ / "run.log", 600),
            0)
      << "see " << (dir_ / "run.log");
  json results = ReadJsonFile(out);
  for (const auto& e :
       testing::CheckSchema(ReadJsonFile(SourceDir() / "results/schema/results.v2.json"), results))
    ADD_FAILURE() << e;
  ASSERT_EQ(results["cells"].size(), 8u);  // 2 frameworks x 2 servers x 2 routes
  std::set<std::string> servers;
  for (const auto& cell : results["cells"]) {
    const std::string id = cell["id"];
    EXPECT_EQ(cell["proxy"], "nginx") << id;
    EXPECT_NE(id.find("+nginx/"), std::string::npos) << id;
    servers.insert(cell["server"]);
    EXPECT_TRUE(cell["verify"]["passed"]) << id << ": " << cell["verify"].dump();
    ASSERT_EQ(cell["status"], "ok") << id << ": " << cell.value("reason", json()).dump();
    const json& rep = cell["repetitions"][0];
    EXPECT_GT(rep["load"]["overall"]["requests"].get<double>(), 0) << id;
    const json& server = rep["server"];
    EXPECT_EQ(server["proxy"], "nginx") << id;
    EXPECT_GT(server["proxy_cpu_s"].get<double>(), 0) << id;
    EXPECT_GT(server["proxy_rss_bytes"].get<double>(), 0) << id;
    // nginx's share is part of the server's CPU per request, not all of it.
    EXPECT_GT(server["cpu_us_per_request"].get<double>(),
              server["proxy_cpu_us_per_request"].get<double>())
        << id;
    int proxy_processes = 0;
    for (const auto& p : server["processes"]) proxy_processes += p["role"] == "proxy";
    EXPECT_EQ(proxy_processes, 2) << id;  // nginx's master and its one worker
    bool quirk = false;
    for (const auto& q : cell["server_quirks"])
      quirk = quirk || q.get<std::string>().find("behind nginx") != std::string::npos;
    EXPECT_TRUE(quirk) << id;
  }
  EXPECT_EQ(servers, (std::set<std::string>{"gunicorn-sync", "uwsgi"}));
  EXPECT_FALSE(results["meta"]["proxies"]["nginx"]["version"].is_null());
}

}  // namespace
}  // namespace fwbench
