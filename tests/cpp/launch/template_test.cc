#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <filesystem>

#include "common/atomic_file.h"
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

// The servers.json of one server `spec`, loaded; the error text when it does not load.
std::string CatalogErrorFor(const nlohmann::json& spec) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("fwbench-servers-" + std::to_string(::getpid()) + ".json");
  WriteJsonAtomic(path, {{"schema", "fwbench.servers/1"}, {"servers", {{"x", spec}}}});
  std::string error;
  try {
    LoadServerCatalog(path);
  } catch (const Error& e) {
    error = e.what();
  }
  std::filesystem::remove(path);
  return error;
}

TEST(Catalog, InterfaceAndVerifyAreValidatedNamingTheFileAndField) {
  const nlohmann::json base = {{"argv", {"srv", "{port}"}}};
  EXPECT_EQ(CatalogErrorFor(base), "");
  nlohmann::json bad = base;
  bad["interface"] = "rsgi";
  std::string e = CatalogErrorFor(bad);
  EXPECT_NE(e.find("servers.x.interface"), std::string::npos) << e;
  EXPECT_NE(e.find("fwbench-servers-"), std::string::npos) << e;  // the file
  EXPECT_NE(e.find("\"wsgi\" or \"asgi\""), std::string::npos) << e;
  bad = base;
  bad["verify"] = "no";
  e = CatalogErrorFor(bad);
  EXPECT_NE(e.find("servers.x.verify"), std::string::npos) << e;
  EXPECT_NE(e.find("\"skip\""), std::string::npos) << e;
}

TEST(Catalog, ShippedServersNameTheirInterfaceAndUwsgiBareSkipsVerify) {
  ServerCatalog catalog = LoadServerCatalog(SourceDir() / "bench" / "servers.json");
  for (const auto& [name, t] : catalog.servers) {
    EXPECT_EQ(t.interface, "wsgi") << name;
    EXPECT_EQ(t.source.value("interface", ""), "wsgi") << name;  // written out, not defaulted
    EXPECT_EQ(t.verify_skip, name == "uwsgi-bare") << name;
  }
  // uwsgi-bare is the suite's uwsgi without threads and without the Date-header wrapper.
  const auto& bare = catalog.servers.at("uwsgi-bare").argv;
  EXPECT_EQ(std::count(bare.begin(), bare.end(), "--threads"), 0);
  EXPECT_EQ(std::count(bare.begin(), bare.end(), "{wsgi}"), 1);
  for (const auto& arg : bare) EXPECT_EQ(arg.find("uwsgi_headers"), std::string::npos) << arg;
  EXPECT_EQ(catalog.servers.at("uwsgi-bare").stop_signal, catalog.servers.at("uwsgi").stop_signal);
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
