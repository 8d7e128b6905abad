#pragma once
// The suite's matrix of cells and the order they run in.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "suite/suite.h"

namespace fwbench::suite {

struct CellSpec {
  std::string id;  // "flask/minimal/gunicorn-sync/sqlite/json/closed-c64"
  std::string framework, profile, server, db;
  size_t route = 0;              // index into Suite::routes
  size_t level = 0;              // index into Suite::levels
  std::string GroupKey() const;  // "flask/minimal/gunicorn-sync/sqlite": one server instance
};

// Every cell, in a stable order (framework, profile, server, db, route, level).
std::vector<CellSpec> ExpandCells(const Suite& suite);

// One server lifetime in a round: the servers of (server, db) for every framework and
// profile run side by side (each idle while another is measured), and `cells` (indices into
// the expanded list) run in this order.
struct Block {
  int round = 1;  // 1-based repetition
  std::string server, db;
  std::vector<size_t> cells;
};

// Repetitions are the outer loop (round r measures every cell once); inside a round, per
// (server, db), per route and load level, the frameworks and profiles alternate, and which
// one goes first rotates with the level and the round, so slow drift of the machine does not
// favour one framework.
std::vector<Block> PlanBlocks(const Suite& suite, const std::vector<CellSpec>& cells);

// What makes a measurement comparable: a finished cell is reused on resume only when its
// definition is equal. Repetition count is not part of it (more repetitions extend a cell).
nlohmann::json CellDefinition(const Suite& suite, const CellSpec& cell,
                              const nlohmann::json& server_template);

}  // namespace fwbench::suite
