// The nginx configs fwbench renders for proxied cells: every shipped template renders with the
// launcher's placeholders and passes `nginx -t`; a missing nginx names its package.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"
#include "launch/server_template.h"
#include "suite/app_server.h"

namespace fwbench::suite {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class ProxyConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("fwbench-proxy-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    catalog_ = launch::LoadServerCatalog(SourceDir() / "bench" / "servers.json");
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  std::string Render(const std::string& server, const fs::path& run_dir) {
    const auto& behind = catalog_.servers.at(server).behind.at("nginx");
    return launch::RenderText(Slurp(behind.config), ProxyConfigVars(8080, 9090, 1, 4, run_dir),
                              behind.config.string());
  }
  fs::path dir_;
  launch::ServerCatalog catalog_;
};

TEST_F(ProxyConfig, EachServerGetsWhatItsDocsRecommend) {
  const std::string uwsgi = Render("uwsgi", dir_);
  EXPECT_NE(uwsgi.find("uwsgi_pass app_server;"), std::string::npos);
  EXPECT_NE(uwsgi.find("include /etc/nginx/uwsgi_params;"), std::string::npos);
  EXPECT_NE(uwsgi.find("server 127.0.0.1:9090"), std::string::npos);
  const std::string sync = Render("gunicorn-sync", dir_);
  EXPECT_NE(sync.find("proxy_pass http://app_server;"), std::string::npos);
  EXPECT_NE(sync.find("proxy_buffering on;"), std::string::npos);
  EXPECT_NE(sync.find("X-Forwarded-For $proxy_add_x_forwarded_for"), std::string::npos);
  EXPECT_EQ(sync.find("keepalive 32;"), std::string::npos);  // the sync worker closes each
  const std::string gthread = Render("gunicorn-gthread", dir_);
  EXPECT_NE(gthread.find("keepalive 32;"), std::string::npos);
  EXPECT_NE(gthread.find("proxy_http_version 1.1;"), std::string::npos);
  EXPECT_NE(gthread.find("proxy_set_header Connection \"\";"), std::string::npos);
  for (const std::string& text : {uwsgi, sync, gthread}) {
    EXPECT_NE(text.find("listen 127.0.0.1:8080"), std::string::npos);
    EXPECT_NE(text.find("worker_processes 1;"), std::string::npos);
    EXPECT_NE(text.find("daemon off;"), std::string::npos);
    EXPECT_NE(text.find("access_log off;"), std::string::npos);
    EXPECT_NE(text.find("keepalive_timeout 65s;"), std::string::npos);
    EXPECT_NE(text.find("keepalive_requests 100000;"), std::string::npos);
    EXPECT_NE(text.find("pid " + (dir_ / "nginx.pid").string() + ";"), std::string::npos);
    EXPECT_NE(text.find("error_log " + (dir_ / "error.log").string()), std::string::npos);
    EXPECT_EQ(text.find("/var/"), std::string::npos);  // nothing outside the run folder
    EXPECT_EQ(text.find("{run_dir}"), std::string::npos);
    EXPECT_EQ(text.find("user root;") != std::string::npos, ::geteuid() == 0);
  }
}

TEST_F(ProxyConfig, EveryRenderedConfigPassesNginxTest) {
  const launch::ProxyTemplate& nginx = catalog_.proxies.at("nginx");
  std::string program;
  try {
    program = ProxyProgram(nginx);
  } catch (const Error& e) {
    GTEST_SKIP() << e.what();
  }
  for (const auto& [name, server] : catalog_.servers) {
    if (!server.behind.count("nginx")) continue;
    const fs::path run = dir_ / name;
    fs::create_directories(run);
    const fs::path conf = run / "nginx.conf";
    std::ofstream(conf) << Render(name, run);
    const fs::path log = run / "test.log";
    ProcessResult out = RunProcess({program, "-t", "-q", "-p", run.string(), "-c", conf.string(),
                                    "-e", (run / "error.log").string()},
                                   {log.string()});
    EXPECT_EQ(out.exit_code, 0) << name << ": " << Slurp(log);
  }
}

TEST(ProxyProgram, MissingBinaryNamesTheDebianPackage) {
  launch::ProxyTemplate nginx;
  nginx.name = "nginx";
  nginx.argv = {"nginx-not-installed-fwbench"};
  nginx.package = "nginx-light";
  try {
    ProxyProgram(nginx);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("apt-get install nginx-light"), std::string::npos) << what;
    EXPECT_NE(what.find("proxies.nginx.argv"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace fwbench::suite
