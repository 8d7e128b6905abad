#pragma once
// Server command templates (bench/servers.json, "fwbench.servers/1"): how each WSGI server
// is started, stopped, and what makes it behave differently from the others.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::launch {

struct ServerTemplate {
  std::string name;
  std::vector<std::string> argv;  // with {placeholders}, see Render
  std::map<std::string, std::string> env;
  std::string stop_signal = "SIGTERM";
  double stop_timeout_s = 10;
  std::vector<std::string> quirks;  // shown in every cell's results
  nlohmann::json source;            // the template as written, for the results' metadata
};

struct ServerCatalog {
  std::map<std::string, ServerTemplate> servers;
  std::vector<std::string> db_init;  // command seeding a database, with {database_url}
};

// Reads a fwbench.servers/1 file. Throws fwbench::Error naming the file and the field.
ServerCatalog LoadServerCatalog(const std::filesystem::path& path);

// Replaces every {name} in each argument with vars.at(name). Throws fwbench::Error naming
// `where` and the placeholder when one is unknown.
std::vector<std::string> Render(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& vars,
                                const std::string& where);

// "SIGTERM" -> 15. Throws fwbench::Error for names it does not know.
int SignalNumber(const std::string& name, const std::string& where);

}  // namespace fwbench::launch
