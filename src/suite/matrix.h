#pragma once
// The suite's matrix of cells and the order they run in.
#include <map>
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
  // Measured together: "gunicorn-sync/sqlite/json/closed-c64" (suite.compare "frameworks"),
  // "flask/sqlite/json/closed-c64" ("servers").
  std::string group;
  std::string proxy = "none";  // "none" | "nginx" (Suite::proxies)
  // The groups of one block share server instances across routes and levels (the runner
  // restarts them per block and round): "gunicorn-sync/sqlite" ("frameworks"), "flask/sqlite"
  // ("servers").
  std::string block;
  // The server segment of ids, keys and labels: "uwsgi" direct, "uwsgi+nginx" behind nginx.
  std::string ServerLabel() const;
};

// The app interface ("wsgi" | "asgi", launch/app_catalog.h) of each framework and server, from
// the catalogues. A server runs a framework's app only when both name the same interface; a
// name missing from its map is compatible with everything.
struct Interfaces {
  std::map<std::string, std::string> frameworks, servers;
  bool Compatible(const std::string& framework, const std::string& server) const;
};

// Every cell of a compatible (framework, server) pair, in a stable order (framework, profile,
// server, proxy, db, route, level). Throws fwbench::Error naming the suite's frameworks and
// servers with their interfaces when no pair is compatible.
std::vector<CellSpec> ExpandCells(const Suite& suite, const Interfaces& interfaces = {});

// The (framework, server) pairs of the suite that ExpandCells leaves out, as
// "flask (wsgi) / uvicorn (asgi)".
std::vector<std::string> IncompatiblePairs(const Suite& suite, const Interfaces& interfaces);

// The values of the compared dimension in the suite's order, as the results' comparisons pair
// them (a before b): the frameworks, or ("servers") each server's label per proxy
// ("uwsgi", "uwsgi+nginx").
std::vector<std::string> CompareOrder(const Suite& suite);

// The cells measured together: for suite.compare "frameworks" the same server, db, route and
// load level, one cell per (framework, profile); for "servers" the same framework, db, route
// and level, one cell per (server, proxy, profile). Their servers run at once, on the same CPUs.
struct Group {
  std::string key;    // CellSpec::group
  std::string block;  // CellSpec::block
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
