#include <gtest/gtest.h>

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
