#include "suite/suite.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/error.h"
#include "common/paths.h"
#include "suite/matrix.h"
#include "suite/schedule.h"

namespace fwbench::suite {
namespace {

const char* kGood = R"({
  "schema": "fwbench.suite/1",
  "frameworks": ["flask", "django"],
  "profiles": ["minimal"],
  "servers": ["embedded", "gunicorn-sync"],
  "databases": ["sqlite"],
  "routes": ["json", {"name": "q", "path": "/queries?queries=20"},
             {"name": "mix", "mix": [{"path": "/json", "weight": 3}, {"path": "/db"}]}],
  "load": {"closed": [8, 32], "open": [100]},
  "duration_s": 2,
  "repetitions": 3
})";

std::string ErrorOf(const std::string& text) {
  try {
    ParseSuite(text, "bad.json");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(SuiteFile, ParsesEveryField) {
  Suite s = ParseSuite(kGood, "good.json");
  EXPECT_EQ(s.frameworks.size(), 2u);
  ASSERT_EQ(s.routes.size(), 3u);
  EXPECT_EQ(s.routes[0].requests[0].path, "/json");
  EXPECT_EQ(s.routes[1].requests[0].path, "/queries?queries=20");
  EXPECT_EQ(s.routes[2].requests.size(), 2u);
  EXPECT_DOUBLE_EQ(s.routes[2].requests[0].weight, 3);
  ASSERT_EQ(s.levels.size(), 3u);
  EXPECT_EQ(s.levels[0].Label(), "closed-c8");
  EXPECT_EQ(s.levels[2].Label(), "open-r100");
  EXPECT_EQ(s.repetitions, 3);
  EXPECT_EQ(s.servers_file, SourceDir() / "bench" / "servers.json");
}

TEST(SuiteFile, BadValueNamesFieldAndLine) {
  std::string e = ErrorOf(Replace(kGood, "[8, 32]", "[8, -4]"));
  EXPECT_NE(e.find("load.closed[1]"), std::string::npos) << e;
  EXPECT_NE(e.find("bad.json:9"), std::string::npos) << e;
  EXPECT_NE(e.find("-4"), std::string::npos) << e;
}

TEST(SuiteFile, UnknownFieldIsReportedWithTheKnownOnes) {
  std::string e = ErrorOf(Replace(kGood, "\"repetitions\"", "\"repetitons\""));
  EXPECT_NE(e.find("repetitons"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field"), std::string::npos) << e;
  EXPECT_NE(e.find("bad.json:11"), std::string::npos) << e;
}

TEST(SuiteFile, MissingAndWrongFieldsAreNamed) {
  EXPECT_NE(ErrorOf(Replace(kGood, "\"duration_s\": 2,", "")).find("duration_s"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"minimal\"", "\"fancy\"")).find("profiles[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"sqlite\"", "\"mysql\"")).find("databases[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "\"path\": \"/db\"", "\"path\": \"db\"")).find("path"),
            std::string::npos);
  EXPECT_NE(ErrorOf(Replace(kGood, "fwbench.suite/1", "fwbench.suite/2")).find("schema"),
            std::string::npos);
}

TEST(SuiteFile, HostCheckDefaultsAndFields) {
  Suite defaults = ParseSuite(kGood, "good.json");
  EXPECT_TRUE(defaults.host_check.enabled);
  EXPECT_EQ(defaults.host_check.retries, 0);
  Suite s = ParseSuite(Replace(kGood, "\"repetitions\": 3",
                               "\"repetitions\": 3, \"host_check\": {\"min_speed\": 0.5, "
                               "\"retries\": 2, \"wait_s\": 4, \"enabled\": false}"),
                       "good.json");
  EXPECT_FALSE(s.host_check.enabled);
  EXPECT_DOUBLE_EQ(s.host_check.min_speed, 0.5);
  EXPECT_EQ(s.host_check.retries, 2);
  EXPECT_DOUBLE_EQ(s.host_check.wait_s, 4);
  std::string e = ErrorOf(Replace(kGood, "\"repetitions\": 3",
                                  "\"repetitions\": 3, \"host_check\": {\"min_speed\": 1.5}"));
  EXPECT_NE(e.find("host_check.min_speed"), std::string::npos) << e;
  e = ErrorOf(
      Replace(kGood, "\"repetitions\": 3", "\"repetitions\": 3, \"host_check\": {\"retry\": 1}"));
  EXPECT_NE(e.find("host_check.retry"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown field"), std::string::npos) << e;
}

TEST(SuiteFile, SyntaxErrorNamesTheLine) {
  std::string e = ErrorOf(Replace(kGood, "\"duration_s\": 2,", "\"duration_s\": 2,,"));
  EXPECT_NE(e.find("bad.json:10"), std::string::npos) << e;
}

TEST(SuiteFile, ShippedSuitesParse) {
  for (const char* name : {"quick", "default", "full", "serve-vs-servers"})
    EXPECT_NO_THROW(LoadSuite(SourceDir() / "bench" / "suites" / (std::string(name) + ".json")))
        << name;
}

TEST(Matrix, ExpandsEveryCombinationWithStableIds) {
  Suite s = ParseSuite(kGood, "good.json");
  auto cells = ExpandCells(s);
  EXPECT_EQ(cells.size(), 2u * 1 * 2 * 1 * 3 * 3);
  EXPECT_EQ(cells[0].id, "flask/minimal/embedded/sqlite/json/closed-c8");
}

TEST(Matrix, ARouteWithDatabasesIsMeasuredOnlyOnThose) {
  std::string text =
      Replace(kGood, "\"databases\": [\"sqlite\"]", "\"databases\": [\"sqlite\", \"postgres\"]");
  text = Replace(text, "\"routes\": [\"json\",",
                 "\"routes\": [{\"name\": \"json\", \"databases\": [\"sqlite\"]},");
  Suite s = ParseSuite(text, "good.json");
  ASSERT_EQ(s.routes[0].databases, std::vector<std::string>{"sqlite"});
  EXPECT_EQ(s.routes[0].requests.at(0).path, "/json");
  auto cells = ExpandCells(s);
  // json: 1 database; q and mix: 2 databases.
  EXPECT_EQ(cells.size(), 2u * 1 * 2 * (1 + 2 + 2) * 3);
  for (const CellSpec& c : cells) EXPECT_FALSE(c.route == 0 && c.db == "postgres") << c.id;
}

TEST(SuiteFile, ARouteDatabaseOutsideTheSuitesIsRejectedByField) {
  std::string text = Replace(kGood, "\"routes\": [\"json\",",
                             "\"routes\": [{\"name\": \"json\", \"databases\": [\"postgres\"]},");
  std::string e = ErrorOf(text);
  EXPECT_NE(e.find("routes[0].databases"), std::string::npos) << e;
  EXPECT_NE(e.find("\"postgres\" is not one of the suite's databases"), std::string::npos) << e;
}

TEST(Matrix, GroupsHoldEveryAppOfOneServerDbRouteAndLevel) {
  Suite s = ParseSuite(kGood, "good.json");
  auto cells = ExpandCells(s);
  auto groups = GroupCells(cells);
  ASSERT_EQ(groups.size(), 2u * 3 * 3);  // servers x routes x levels
  EXPECT_EQ(groups[0].key, "embedded/sqlite/json/closed-c8");
  std::set<size_t> all;
  for (const Group& g : groups) {
    ASSERT_EQ(g.cells.size(), 2u);  // flask and django
    const CellSpec &x = cells[g.cells[0]], &y = cells[g.cells[1]];
    EXPECT_NE(x.framework, y.framework);
    EXPECT_EQ(x.group, g.key);
    EXPECT_EQ(y.group, g.key);
    EXPECT_EQ(x.server, g.server);
    all.insert(g.cells.begin(), g.cells.end());
  }
  EXPECT_EQ(all.size(), cells.size());
}

TEST(Matrix, CompareServersGroupsEveryServerOfOneFrameworkDbRouteAndLevel) {
  std::string text = Replace(kGood, "\"profiles\"", "\"compare\": \"servers\", \"profiles\"");
  text = Replace(text, "\"load\": {\"closed\": [8, 32], \"open\": [100]}",
                 "\"load\": {\"closed\": [8]}");
  text = Replace(text, "[\"embedded\", \"gunicorn-sync\"]",
                 "[\"embedded\", {\"name\": \"uwsgi\", \"proxy\": [\"none\", \"nginx\"]}]");
  Suite s = ParseSuite(text, "good.json");
  EXPECT_EQ(s.compare, "servers");
  EXPECT_EQ(CompareOrder(s), (std::vector<std::string>{"embedded", "uwsgi", "uwsgi+nginx"}));
  auto cells = ExpandCells(s);
  auto groups = GroupCells(cells);
  ASSERT_EQ(groups.size(), 2u * 3);  // frameworks x routes
  EXPECT_EQ(groups[0].key, "flask/sqlite/json/closed-c8");
  EXPECT_EQ(groups[0].block, "flask/sqlite");
  std::set<std::string> blocks;
  for (const Group& g : groups) {
    ASSERT_EQ(g.cells.size(), 3u);  // embedded, uwsgi, uwsgi+nginx
    std::set<std::string> servers;
    for (size_t i : g.cells) {
      EXPECT_EQ(cells[i].framework, cells[g.cells[0]].framework);
      EXPECT_EQ(cells[i].group, g.key);
      servers.insert(cells[i].ServerLabel());
    }
    EXPECT_EQ(servers.size(), 3u);
    blocks.insert(g.block);
  }
  EXPECT_EQ(blocks, (std::set<std::string>{"flask/sqlite", "django/sqlite"}));
  // Ids do not depend on the axis.
  EXPECT_EQ(cells[0].id, "flask/minimal/embedded/sqlite/json/closed-c8");
  // The frameworks axis (the default) keeps its groups and blocks.
  Suite by_framework = ParseSuite(kGood, "good.json");
  EXPECT_EQ(by_framework.compare, "frameworks");
  EXPECT_EQ(CompareOrder(by_framework), by_framework.frameworks);
  EXPECT_EQ(GroupCells(ExpandCells(by_framework))[0].block, "embedded/sqlite");
}

TEST(SuiteFile, UnknownCompareAxisNamesTheFieldAndTheAxes) {
  std::string e = ErrorOf(Replace(kGood, "\"profiles\"", "\"compare\": \"routes\", \"profiles\""));
  EXPECT_NE(e.find("bad.json:4: compare"), std::string::npos) << e;
  EXPECT_NE(e.find("use one of frameworks, servers"), std::string::npos) << e;
}

TEST(Matrix, OnlyPairsOfOneInterfaceArePlanned) {
  Suite s = ParseSuite(kGood, "good.json");
  Interfaces interfaces;
  interfaces.frameworks = {{"flask", "wsgi"}, {"django", "asgi"}};
  interfaces.servers = {{"embedded", "wsgi"}, {"gunicorn-sync", "asgi"}};
  auto cells = ExpandCells(s, interfaces);
  ASSERT_EQ(cells.size(), 2u * 3 * 3);  // flask on embedded, django on gunicorn-sync
  for (const CellSpec& c : cells)
    EXPECT_TRUE((c.framework == "flask") == (c.server == "embedded")) << c.id;
  EXPECT_EQ(IncompatiblePairs(s, interfaces),
            (std::vector<std::string>{"flask (wsgi) / gunicorn-sync (asgi)",
                                      "django (asgi) / embedded (wsgi)"}));
  EXPECT_TRUE(IncompatiblePairs(s, {}).empty());
}

TEST(Matrix, ASuiteOfOnlyIncompatiblePairsIsAnErrorNamingTheInterfaces) {
  Suite s = ParseSuite(kGood, "good.json");
  Interfaces interfaces;
  interfaces.frameworks = {{"flask", "wsgi"}, {"django", "wsgi"}};
  interfaces.servers = {{"embedded", "asgi"}, {"gunicorn-sync", "asgi"}};
  try {
    ExpandCells(s, interfaces);
    FAIL() << "no error";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no framework of the suite runs on any of its servers"), std::string::npos)
        << what;
    EXPECT_NE(what.find("flask (wsgi), django (wsgi)"), std::string::npos) << what;
    EXPECT_NE(what.find("embedded (asgi), gunicorn-sync (asgi)"), std::string::npos) << what;
    EXPECT_NE(what.find("frameworks.json"), std::string::npos) << what;
    EXPECT_NE(what.find("servers.json"), std::string::npos) << what;
  }
}

TEST(Schedule, EverySubroundGivesEachAppOneEqualSliceInAFreshOrder) {
  SplitMix64 rng{42};
  const int subrounds = 200;
  auto slices = PlanSlices("slices", 3, subrounds, 0.5, rng);
  ASSERT_EQ(slices.size(), 3u * subrounds);
  std::map<std::vector<int>, int> orders;
  double t = 0;
  for (int r = 0; r < subrounds; ++r) {
    std::vector<int> order;
    for (int k = 0; k < 3; ++k) {
      const auto& slice = slices[r * 3 + k];
      EXPECT_DOUBLE_EQ(slice.start_s, t);       // back to back
      EXPECT_DOUBLE_EQ(slice.duration_s, 0.5);  // equal measured time per app
      EXPECT_EQ(__builtin_popcountll(slice.active), 1);
      order.push_back(__builtin_ctzll(slice.active));
      EXPECT_EQ(SubroundOf("slices", 3, r * 3 + k), r);
      t += 0.5;
    }
    std::vector<int> sorted = order;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<int>{0, 1, 2}));  // each app exactly once
    ++orders[order];
  }
  ASSERT_EQ(orders.size(), 6u);  // all 3! orders occur
  for (const auto& [order, count] : orders) {
    EXPECT_GT(count, 15);  // about 200/6 each; a fixed rotation would give 0 for three
  }
}

TEST(Schedule, DuetRunsEveryAppInEverySlice) {
  SplitMix64 rng{1};
  auto slices = PlanSlices("duet", 2, 4, 0.25, rng);
  ASSERT_EQ(slices.size(), 4u);
  for (const auto& s : slices) EXPECT_EQ(s.active, 3u);
  EXPECT_DOUBLE_EQ(slices[3].start_s, 0.75);
}

TEST(Schedule, AddedRoundsVisitTheWidestBlocksFirstAndKeepTiesInOrder) {
  EXPECT_EQ(WidestFirst({2.5, -1, INFINITY, 7, 2.5}), (std::vector<size_t>{2, 3, 0, 4, 1}));
  EXPECT_TRUE(WidestFirst({}).empty());
}

TEST(Schedule, TrendIsTheFittedChangeAcrossTheWindowWithItsError) {
  EXPECT_TRUE(std::isinf(FitTrend({100, 100}).change_pct));  // too short to judge
  EXPECT_FALSE(FitTrend({100, 100}).Steady(3));
  Trend flat = FitTrend({100, 100, 100, 100});
  EXPECT_NEAR(flat.change_pct, 0, 1e-9);
  EXPECT_TRUE(flat.Steady(3));
  Trend rising = FitTrend({90, 100, 110, 120});  // a clean ramp: no noise to hide in
  EXPECT_NEAR(rising.change_pct, 30.0 / 105 * 100, 1e-9);
  EXPECT_NEAR(rising.se_pct, 0, 1e-9);
  EXPECT_FALSE(rising.Steady(3));
  EXPECT_NEAR(FitTrend({1, 1, 1, 120, 110, 100, 90}).change_pct, -30.0 / 105 * 100, 1e-9);
  Trend noisy = FitTrend({100, 130, 85, 125});  // a change smaller than its own error
  EXPECT_GT(std::fabs(noisy.change_pct), 3);
  EXPECT_TRUE(noisy.Steady(3));
  EXPECT_TRUE(std::isinf(FitTrend({0, 0, 0, 0}).change_pct));
}

TEST(SuiteFile, PairedFieldsAndTheirErrors) {
  Suite defaults = ParseSuite(kGood, "good.json");
  EXPECT_EQ(defaults.paired.mode, "slices");
  EXPECT_DOUBLE_EQ(defaults.paired.target_pct, 3);
  EXPECT_EQ(defaults.paired.Slices(defaults.duration_s), 4);  // 2 s of 0.5 s slices
  Suite s = ParseSuite(Replace(kGood, "\"repetitions\": 3",
                               "\"repetitions\": 3, \"paired\": {\"mode\": \"duet\", "
                               "\"slice_s\": 0.25, \"target_pct\": 2, \"budget_s\": 60, "
                               "\"max_rounds\": 8}"),
                       "good.json");
  EXPECT_EQ(s.paired.mode, "duet");
  EXPECT_EQ(s.paired.Slices(s.duration_s), 8);
  EXPECT_DOUBLE_EQ(s.paired.budget_s, 60);
  EXPECT_EQ(s.paired.max_rounds, 8);
  for (const char* bad :
       {"{\"target_pct\": -1}", "{\"target_pct\": \"3\"}", "{\"target_pct\": 500}"}) {
    std::string e = ErrorOf(Replace(kGood, "\"repetitions\": 3",
                                    std::string("\"repetitions\": 3, \"paired\": ") + bad));
    EXPECT_NE(e.find("paired.target_pct"), std::string::npos) << e;
  }
  std::string e = ErrorOf(
      Replace(kGood, "\"repetitions\": 3", "\"repetitions\": 3, \"paired\": {\"budget_s\": -5}"));
  EXPECT_NE(e.find("paired.budget_s"), std::string::npos) << e;
  e = ErrorOf(
      Replace(kGood, "\"repetitions\": 3", "\"repetitions\": 3, \"paired\": {\"mode\": \"solo\"}"));
  EXPECT_NE(e.find("paired.mode"), std::string::npos) << e;
}

}  // namespace
}  // namespace fwbench::suite

namespace fwbench::suite {
namespace {

// servers: "embedded" direct (top-level default), gunicorn-sync both ways, uwsgi behind nginx.
const char* kProxied = R"({
  "schema": "fwbench.suite/1",
  "frameworks": ["flask", "django"],
  "profiles": ["minimal"],
  "servers": ["embedded", {"name": "gunicorn-sync", "proxy": ["none", "nginx"]},
              {"name": "uwsgi", "proxy": "nginx"}],
  "databases": ["sqlite"],
  "routes": ["json"],
  "load": {"closed": [8]},
  "duration_s": 2
})";

TEST(SuiteProxy, ServersTakeAProxyOrAListOfThemAndDefaultToNone) {
  Suite s = ParseSuite(kProxied, "p.json");
  EXPECT_EQ(s.servers, (std::vector<std::string>{"embedded", "gunicorn-sync", "uwsgi"}));
  EXPECT_EQ(s.proxies.at("embedded"), (std::vector<std::string>{"none"}));
  EXPECT_EQ(s.proxies.at("gunicorn-sync"), (std::vector<std::string>{"none", "nginx"}));
  EXPECT_EQ(s.proxies.at("uwsgi"), (std::vector<std::string>{"nginx"}));
  // The top-level "proxy" is the default for servers given by name.
  Suite all = ParseSuite(Replace(kProxied, "\"databases\"", "\"proxy\": \"nginx\", \"databases\""),
                         "p.json");
  EXPECT_EQ(all.proxies.at("embedded"), (std::vector<std::string>{"nginx"}));
  EXPECT_EQ(all.proxies.at("gunicorn-sync"), (std::vector<std::string>{"none", "nginx"}));
}

TEST(SuiteProxy, UnknownProxyIsRejectedNamingTheField) {
  std::string e = ErrorOf(Replace(kProxied, "\"proxy\": \"nginx\"", "\"proxy\": \"apache\""));
  EXPECT_NE(e.find("servers[2].proxy"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown proxy \"apache\""), std::string::npos) << e;
  EXPECT_NE(e.find("\"nginx\""), std::string::npos) << e;  // says what is known
  e = ErrorOf(Replace(kProxied, "[\"none\", \"nginx\"]", "[\"none\", \"haproxy\"]"));
  EXPECT_NE(e.find("servers[1].proxy[1]"), std::string::npos) << e;
  e = ErrorOf(Replace(kProxied, "\"databases\"", "\"proxy\": \"envoy\", \"databases\""));
  EXPECT_NE(e.find(": proxy"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown proxy \"envoy\""), std::string::npos) << e;
  e = ErrorOf(Replace(kProxied, "\"proxy\": \"nginx\"", "\"proxy\": 3"));
  EXPECT_NE(e.find("servers[2].proxy"), std::string::npos) << e;
  e = ErrorOf(Replace(kProxied, "\"proxy\": \"nginx\"", "\"proxy\": \"nginx\", \"port\": 1"));
  EXPECT_NE(e.find("servers[2].port"), std::string::npos) << e;
  e = ErrorOf(Replace(kProxied, "\"embedded\",", "\"uwsgi\","));
  EXPECT_NE(e.find("listed twice"), std::string::npos) << e;
}

TEST(SuiteProxy, TheAxisExpandsPerServerWithReadableUniqueIds) {
  Suite s = ParseSuite(kProxied, "p.json");
  auto cells = ExpandCells(s);
  ASSERT_EQ(cells.size(), 2u * 4);  // frameworks x (embedded, sync, sync+nginx, uwsgi+nginx)
  std::vector<std::string> flask;
  std::set<std::string> ids;
  for (const auto& c : cells) {
    ids.insert(c.id);
    if (c.framework == "flask") flask.push_back(c.id);
  }
  EXPECT_EQ(ids.size(), cells.size());
  EXPECT_EQ(flask,
            (std::vector<std::string>{"flask/minimal/embedded/sqlite/json/closed-c8",
                                      "flask/minimal/gunicorn-sync/sqlite/json/closed-c8",
                                      "flask/minimal/gunicorn-sync+nginx/sqlite/json/closed-c8",
                                      "flask/minimal/uwsgi+nginx/sqlite/json/closed-c8"}));
  EXPECT_EQ(cells[3].proxy, "nginx");
  EXPECT_EQ(cells[3].server, "uwsgi");
  EXPECT_EQ(cells[3].ServerLabel(), "uwsgi+nginx");
  EXPECT_EQ(cells[3].GroupKey(), "flask/minimal/uwsgi+nginx/sqlite");
  auto groups = GroupCells(cells);
  ASSERT_EQ(groups.size(), 4u);  // direct and proxied gunicorn-sync are measured apart
  EXPECT_EQ(groups[2].key, "gunicorn-sync+nginx/sqlite/json/closed-c8");
  EXPECT_EQ(groups[2].proxy, "nginx");
  EXPECT_EQ(groups[2].server, "gunicorn-sync");
  EXPECT_EQ(groups[2].cells.size(), 2u);
  // Only a proxied cell's definition names the proxy (direct ones keep theirs for resuming).
  EXPECT_FALSE(CellDefinition(s, cells[1], {}).contains("proxy"));
  EXPECT_EQ(CellDefinition(s, cells[2], {}, {{"config", "x"}})["proxy"], "nginx");
}

TEST(SuiteProxy, ShippedDefaultAndFullPutGunicornSyncAndUwsgiBehindNginx) {
  for (const char* name : {"default", "full"}) {
    Suite s = LoadSuite(SourceDir() / "bench" / "suites" / (std::string(name) + ".json"));
    EXPECT_EQ(s.proxies.at("gunicorn-sync"), (std::vector<std::string>{"nginx"})) << name;
    EXPECT_EQ(s.proxies.at("uwsgi"), (std::vector<std::string>{"nginx"})) << name;
    EXPECT_EQ(s.proxies.at("gunicorn-gthread"), (std::vector<std::string>{"none"})) << name;
  }
  Suite quick = LoadSuite(SourceDir() / "bench" / "suites" / "quick.json");
  EXPECT_EQ(quick.proxies.at("gunicorn-sync"), (std::vector<std::string>{"none"}));
  Suite both = LoadSuite(SourceDir() / "bench" / "suites" / "nginx.json");
  EXPECT_EQ(both.proxies.at("uwsgi"), (std::vector<std::string>{"none", "nginx"}));
}

}  // namespace
}  // namespace fwbench::suite
