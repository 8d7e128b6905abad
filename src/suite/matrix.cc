#include "suite/matrix.h"

#include <algorithm>

namespace fwbench::suite {

std::string CellSpec::ServerLabel() const {
  return proxy == "none" ? server : server + "+" + proxy;
}

std::string CellSpec::GroupKey() const {
  return framework + "/" + profile + "/" + ServerLabel() + "/" + db;
}

namespace {

std::vector<std::string> ProxiesOf(const Suite& suite, const std::string& server) {
  auto it = suite.proxies.find(server);
  return it == suite.proxies.end() ? std::vector<std::string>{"none"} : it->second;
}

}  // namespace

std::vector<CellSpec> ExpandCells(const Suite& suite) {
  std::vector<CellSpec> cells;
  for (const auto& framework : suite.frameworks)
    for (const auto& profile : suite.profiles)
      for (const auto& server : suite.servers)
        for (const auto& proxy : ProxiesOf(suite, server))
          for (const auto& db : suite.databases)
            for (size_t route = 0; route < suite.routes.size(); ++route)
              for (size_t level = 0; level < suite.levels.size(); ++level) {
                if (!suite.routes[route].MeasuredOn(db)) continue;
                CellSpec cell{"", framework, profile, server, db, route, level, "", proxy};
                const std::string tail =
                    suite.routes[route].name + "/" + suite.levels[level].Label();
                cell.id = cell.GroupKey() + "/" + tail;
                cell.group = cell.ServerLabel() + "/" + db + "/" + tail;
                cells.push_back(cell);
              }
  return cells;
}

std::vector<Group> GroupCells(const std::vector<CellSpec>& cells) {
  std::vector<Group> groups;
  for (size_t i = 0; i < cells.size(); ++i) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const Group& g) { return g.key == cells[i].group; });
    if (it == groups.end()) {
      Group group;
      group.key = cells[i].group;
      group.server = cells[i].server;
      group.db = cells[i].db;
      group.proxy = cells[i].proxy;
      groups.push_back(group);
      it = groups.end() - 1;
    }
    it->cells.push_back(i);
  }
  return groups;
}

nlohmann::json CellDefinition(const Suite& suite, const CellSpec& cell,
                              const nlohmann::json& server_template,
                              const nlohmann::json& proxy_template) {
  const LoadLevel& level = suite.levels[cell.level];
  nlohmann::json definition = {
      {"framework", cell.framework},
      {"profile", cell.profile},
      {"server", cell.server},
      {"server_template", server_template},
      {"db", cell.db},
      {"route", suite.routes[cell.route].source},
      {"model", level.model},
      {"concurrency", level.model == "closed" ? nlohmann::json(level.concurrency) : nullptr},
      {"rate", level.model == "open" ? nlohmann::json(level.rate) : nullptr},
      {"workers", suite.workers},
      {"threads", suite.threads},
      {"pinning", {{"server_cpus", suite.server_cpus}, {"load_cpus", suite.load_cpus}}},
      {"load_threads", suite.load_threads},
      {"open_connections", suite.open_connections},
      {"arrival", suite.arrival},
      {"timeout_s", suite.timeout_s},
      {"warmup_s", suite.warmup_s},
      {"duration_s", suite.duration_s},
      {"paired",
       {{"mode", suite.paired.mode},
        {"slice_s", suite.paired.slice_s},
        {"warmup_max_s", suite.paired.warmup_max_s},
        {"trend_pct", suite.paired.trend_pct}}}};
  // Only proxied cells name a proxy, so direct cells keep the definition they had before the
  // proxy axis (resuming an earlier file reuses them).
  if (cell.proxy != "none") {
    definition["proxy"] = cell.proxy;
    definition["proxy_template"] = proxy_template;
  }
  return definition;
}

}  // namespace fwbench::suite
