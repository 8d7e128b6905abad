#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

#include "common/error.h"
#include "common/paths.h"
#include "launch/server_template.h"

namespace fwbench::launch {
namespace {

TEST(Render, FillsPlaceholdersInsideArguments) {
  auto argv =
      Render({"--bind", "{host}:{port}", "x"}, {{"host", "127.0.0.1"}, {"port", "80"}}, "t");
  EXPECT_EQ(argv, (std::vector<std::string>{"--bind", "127.0.0.1:80", "x"}));
}

TEST(Render, UnknownPlaceholderNamesIt) {
  try {
    Render({"{nope}"}, {}, "server x");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("{nope}"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("server x"), std::string::npos);
  }
}

TEST(Catalog, ShippedServersAllParseWithTheirStopSignals) {
  ServerCatalog catalog = LoadServerCatalog(SourceDir() / "bench" / "servers.json");
  for (const char* name :
       {"embedded", "gunicorn-sync", "gunicorn-gthread", "uwsgi", "waitress", "granian"})
    ASSERT_TRUE(catalog.servers.count(name)) << name;
  EXPECT_EQ(SignalNumber(catalog.servers["uwsgi"].stop_signal, "x"), SIGINT);
  EXPECT_FALSE(catalog.servers["gunicorn-sync"].quirks.empty());
  EXPECT_FALSE(catalog.db_init.empty());
}

TEST(Signals, UnknownNameIsAnError) { EXPECT_THROW(SignalNumber("SIGFOO", "x"), Error); }

}  // namespace
}  // namespace fwbench::launch

namespace fwbench::launch {
namespace {

TEST(RenderText, FillsIdentifiersAndKeepsBlockBraces) {
  const std::string text = "http {\n  listen {host}:{port};\n  map $a $b {default 0;}\n}\n";
  EXPECT_EQ(RenderText(text, {{"host", "127.0.0.1"}, {"port", "80"}}, "t.conf"),
            "http {\n  listen 127.0.0.1:80;\n  map $a $b {default 0;}\n}\n");
}

TEST(RenderText, UnknownPlaceholderNamesFileLineAndTheKnownOnes) {
  try {
    RenderText("events {\n}\nlisten {prot};\n", {{"port", "80"}}, "x.conf.tmpl");
    FAIL();
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("{prot}"), std::string::npos) << what;
    EXPECT_NE(what.find("x.conf.tmpl:3"), std::string::npos) << what;
    EXPECT_NE(what.find("{port}"), std::string::npos) << what;
  }
}

TEST(Catalog, ShippedServersSayHowTheyRunBehindNginx) {
  ServerCatalog catalog = LoadServerCatalog(SourceDir() / "bench" / "servers.json");
  ASSERT_TRUE(catalog.proxies.count("nginx"));
  EXPECT_EQ(catalog.proxies["nginx"].package, "nginx-light");
  for (const char* name : {"gunicorn-sync", "uwsgi", "gunicorn-gthread", "waitress", "granian"}) {
    ASSERT_TRUE(catalog.servers[name].behind.count("nginx")) << name;
    EXPECT_TRUE(std::filesystem::exists(catalog.servers[name].behind["nginx"].config)) << name;
  }
  EXPECT_FALSE(catalog.servers["embedded"].behind.count("nginx"));
  // uWSGI speaks the uwsgi protocol to nginx; both read a request's body before the app runs.
  const auto& uwsgi = catalog.servers["uwsgi"].behind["nginx"].argv;
  EXPECT_NE(std::find(uwsgi.begin(), uwsgi.end(), "--socket"), uwsgi.end());
  EXPECT_NE(std::find(uwsgi.begin(), uwsgi.end(), "--post-buffering"), uwsgi.end());
  const auto& sync = catalog.servers["gunicorn-sync"].behind["nginx"].argv;
  EXPECT_NE(std::find(sync.begin(), sync.end(), "fwbench_common.post_buffering:application"),
            sync.end());
  EXPECT_TRUE(catalog.servers["waitress"].behind["nginx"].argv.empty());
}

TEST(FindProgram, LooksInPathThenSbin) {
  EXPECT_EQ(FindProgram("sh", "/nonexistent:/bin"), "/bin/sh");
  EXPECT_EQ(FindProgram("no-such-program-fwbench", "/bin"), "");
  EXPECT_EQ(FindProgram("/bin/sh", ""), "/bin/sh");
}

}  // namespace
}  // namespace fwbench::launch
