#include "suite/matrix.h"

namespace fwbench::suite {

std::string CellSpec::GroupKey() const {
  return framework + "/" + profile + "/" + server + "/" + db;
}

std::vector<CellSpec> ExpandCells(const Suite& suite) {
  std::vector<CellSpec> cells;
  for (const auto& framework : suite.frameworks)
    for (const auto& profile : suite.profiles)
      for (const auto& server : suite.servers)
        for (const auto& db : suite.databases)
          for (size_t route = 0; route < suite.routes.size(); ++route)
            for (size_t level = 0; level < suite.levels.size(); ++level) {
              CellSpec cell{"", framework, profile, server, db, route, level};
              cell.id = cell.GroupKey() + "/" + suite.routes[route].name + "/" +
                        suite.levels[level].Label();
              cells.push_back(cell);
            }
  return cells;
}

std::vector<Block> PlanBlocks(const Suite& suite, const std::vector<CellSpec>& cells) {
  auto find = [&](const std::string& fw, const std::string& profile, const std::string& server,
                  const std::string& db, size_t route, size_t level) {
    for (size_t i = 0; i < cells.size(); ++i) {
      const CellSpec& c = cells[i];
      if (c.framework == fw && c.profile == profile && c.server == server && c.db == db &&
          c.route == route && c.level == level)
        return i;
    }
    return cells.size();
  };
  std::vector<std::pair<std::string, std::string>> apps;  // (framework, profile)
  for (const auto& profile : suite.profiles)
    for (const auto& fw : suite.frameworks) apps.emplace_back(fw, profile);
  std::vector<Block> blocks;
  for (int round = 1; round <= suite.repetitions; ++round)
    for (const auto& server : suite.servers)
      for (const auto& db : suite.databases) {
        Block block{round, server, db, {}};
        size_t slot = round - 1;
        for (size_t route = 0; route < suite.routes.size(); ++route)
          for (size_t level = 0; level < suite.levels.size(); ++level, ++slot)
            for (size_t k = 0; k < apps.size(); ++k) {
              const auto& [fw, profile] = apps[(k + slot) % apps.size()];
              block.cells.push_back(find(fw, profile, server, db, route, level));
            }
        blocks.push_back(block);
      }
  return blocks;
}

nlohmann::json CellDefinition(const Suite& suite, const CellSpec& cell,
                              const nlohmann::json& server_template) {
  const LoadLevel& level = suite.levels[cell.level];
  return {{"framework", cell.framework},
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
          {"duration_s", suite.duration_s}};
}

}  // namespace fwbench::suite
