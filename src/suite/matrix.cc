#include "suite/matrix.h"

#include <algorithm>

#include "common/error.h"

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

std::string InterfaceOf(const std::map<std::string, std::string>& map, const std::string& name) {
  auto it = map.find(name);
  return it == map.end() ? "any" : it->second;
}

std::string Described(const std::vector<std::string>& names,
                      const std::map<std::string, std::string>& interfaces) {
  std::string out;
  for (const auto& n : names)
    out += (out.empty() ? "" : ", ") + n + " (" + InterfaceOf(interfaces, n) + ")";
  return out;
}

}  // namespace

bool Interfaces::Compatible(const std::string& framework, const std::string& server) const {
  auto f = frameworks.find(framework);
  auto s = servers.find(server);
  return f == frameworks.end() || s == servers.end() || f->second == s->second;
}

std::vector<std::string> IncompatiblePairs(const Suite& suite, const Interfaces& interfaces) {
  std::vector<std::string> out;
  for (const auto& framework : suite.frameworks)
    for (const auto& server : suite.servers)
      if (!interfaces.Compatible(framework, server))
        out.push_back(framework + " (" + InterfaceOf(interfaces.frameworks, framework) + ") / " +
                      server + " (" + InterfaceOf(interfaces.servers, server) + ")");
  return out;
}

std::vector<std::string> CompareOrder(const Suite& suite) {
  if (suite.compare != "servers") return suite.frameworks;
  std::vector<std::string> labels;
  for (const auto& server : suite.servers)
    for (const auto& proxy : ProxiesOf(suite, server))
      labels.push_back(proxy == "none" ? server : server + "+" + proxy);
  return labels;
}

std::vector<CellSpec> ExpandCells(const Suite& suite, const Interfaces& interfaces) {
  std::vector<CellSpec> cells;
  bool any_pair = false;
  for (const auto& framework : suite.frameworks)
    for (const auto& server : suite.servers)
      any_pair = any_pair || interfaces.Compatible(framework, server);
  if (!any_pair)
    throw Error("no framework of the suite runs on any of its servers: frameworks " +
                    Described(suite.frameworks, interfaces.frameworks) + "; servers " +
                    Described(suite.servers, interfaces.servers),
                "suite " + suite.name + ": frameworks, servers (\"interface\" in " +
                    suite.frameworks_file.string() + " and " + suite.servers_file.string() + ")",
                "a server runs only apps of its own interface: add a server of the frameworks' "
                "interface or a framework of the servers'");
  for (const auto& framework : suite.frameworks)
    for (const auto& profile : suite.profiles)
      for (const auto& server : suite.servers)
        for (const auto& proxy : ProxiesOf(suite, server))
          for (const auto& db : suite.databases)
            for (size_t route = 0; route < suite.routes.size(); ++route)
              for (size_t level = 0; level < suite.levels.size(); ++level) {
                if (!suite.routes[route].MeasuredOn(db)) continue;
                if (!interfaces.Compatible(framework, server)) continue;
                CellSpec cell{"", framework, profile, server, db, route, level, "", proxy};
                const std::string tail =
                    suite.routes[route].name + "/" + suite.levels[level].Label();
                cell.id = cell.GroupKey() + "/" + tail;
                const bool by_server = suite.compare == "servers";
                cell.block = (by_server ? framework : cell.ServerLabel()) + "/" + db;
                cell.group = cell.block + "/" + tail;
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
      group.block = cells[i].block;
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
