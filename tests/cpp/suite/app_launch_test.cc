// The suite launches a catalogue entry the same way under every server: `fwbench serve` (the
// embedded template, given the suite's catalogue file) and gunicorn both run the probe app of
// a crafted catalogue from its dir, with its env and its sys.path list in front, in order.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/atomic_file.h"
#include "common/paths.h"
#include "launch/app_catalog.h"
#include "launch/server_template.h"
#include "suite/app_server.h"

namespace fwbench::suite {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class AppLaunch : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fwbench-app-launch-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "site");
    fs::create_directories(dir_ / "lib");
    fs::copy_file(SourceDir() / "tests/cpp/suite/catalog_probe/probe_app.py",
                  dir_ / "lib" / "probe_app.py");
    // pythonpath lists dir again: the rule keeps its first place only.
    WriteJsonAtomic(dir_ / "frameworks.json",
                    {{"frameworks",
                      {{"probe",
                        {{"dir", (dir_ / "site").string()},
                         {"wsgi", "probe_app:app"},
                         {"pythonpath", {(dir_ / "lib").string(), (dir_ / "site").string()}},
                         {"env", {{"PROBE_ENV", "from-the-catalogue"}}}}}}}});
  }
  void TearDown() override { fs::remove_all(dir_); }

  // What the probe app answers when the suite starts it under `server`.
  json Probe(const std::string& server, const launch::AppCatalog& catalog) {
    const launch::ServerCatalog servers =
        launch::LoadServerCatalog(SourceDir() / "bench" / "servers.json");
    AppServerConfig config;
    config.server = &servers.servers.at(server);
    config.framework = &catalog.Find("probe");
    config.frameworks_file = catalog.file;
    config.profile = "standard";
    config.database_url = "sqlite:///" + (dir_ / "unused.db").string();
    config.log_path = dir_ / (server + ".log");
    config.fwbench_exe = FWBENCH_EXE;
    config.ready_timeout_s = 60;
    config.probe_path = "/";
    launch::Server running = StartAppServer(config);
    httplib::Client client("127.0.0.1", running.port());
    auto response = client.Get("/");
    running.Stop();
    if (!response || response->status != 200) {
      ADD_FAILURE() << server
                    << " did not answer: " << launch::FileTail(config.log_path.string(), 2000);
      return json::object();
    }
    return json::parse(response->body);
  }

  fs::path dir_;
};

// sys.path with repeats dropped (first place kept), as the launch rule describes it.
std::vector<std::string> Deduplicated(const json& sys_path) {
  std::vector<std::string> out;
  for (const auto& p : sys_path)
    if (std::find(out.begin(), out.end(), p.get<std::string>()) == out.end())
      out.push_back(p.get<std::string>());
  return out;
}

TEST_F(AppLaunch, EmbeddedAndGunicornRunTheSameResolvedEntry) {
  const launch::AppCatalog catalog = launch::LoadAppCatalog(dir_ / "frameworks.json");
  const launch::AppEntry& entry = catalog.Find("probe");
  ASSERT_EQ(entry.sys_path, (std::vector<fs::path>{dir_ / "site", dir_ / "lib"}));
  for (const std::string server : {"embedded", "gunicorn-sync"}) {
    SCOPED_TRACE(server);
    const json seen = Probe(server, catalog);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen["cwd"], entry.dir.string());
    EXPECT_EQ(seen["file"], (dir_ / "lib" / "probe_app.py").string());
    EXPECT_EQ(seen["probe_env"], "from-the-catalogue");
    EXPECT_EQ(seen["profile"], "standard");
    std::vector<std::string> front = Deduplicated(seen["sys_path"]);
    ASSERT_GE(front.size(), 2u);
    front.resize(2);
    EXPECT_EQ(front, (std::vector<std::string>{(dir_ / "site").string(), (dir_ / "lib").string()}));
  }
}

}  // namespace
}  // namespace fwbench::suite
