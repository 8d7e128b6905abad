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
  std::string group;             // "gunicorn-sync/sqlite/json/closed-c64": measured together
  std::string proxy = "none";    // "none" | "nginx" (Suite::proxies)
  // The server segment of ids, keys and labels: "uwsgi" direct, "uwsgi+nginx" behind nginx.
  std::string ServerLabel() const;
};

// Every cell, in a stable order (framework, profile, server, proxy, db, route, level).
std::vector<CellSpec> ExpandCells(const Suite& suite);

// The cells measured together: same server, db, route and load level, one cell per
// (framework, profile). Their servers run at once, on the same CPUs.
struct Group {
  std::string key;  // "gunicorn-sync/sqlite/json/closed-c64" ("uwsgi+nginx/..." when proxied)
  std::string server, db;
  std::string proxy = "none";
  std::vector<size_t> cells;  // indices into the expanded list, in its order
};

// The groups of `cells`, in the order of their first cell.
std::vector<Group> GroupCells(const std::vector<CellSpec>& cells);

// What makes a measurement comparable: a finished cell is reused on resume only when its
// definition is equal. Repetition count is not part of it (more repetitions extend a cell).
// `proxy_template`: for a proxied cell, the proxy's template and its config text (ignored for
// a direct cell).
nlohmann::json CellDefinition(const Suite& suite, const CellSpec& cell,
                              const nlohmann::json& server_template,
                              const nlohmann::json& proxy_template = nullptr);

}  // namespace fwbench::suite
