#pragma once
// Server command templates (bench/servers.json, "fwbench.servers/1"): how each WSGI server
// is started, stopped, and what makes it behave differently from the others.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::launch {

// How one server runs behind one proxy (servers.NAME.behind.PROXY).
struct BehindTemplate {
  std::vector<std::string> argv;    // the server's command behind the proxy; empty: its own argv
  std::filesystem::path config;     // the proxy's config template (RenderText placeholders)
  std::vector<std::string> quirks;  // added to the server's quirks in a proxied cell
};

struct ServerTemplate {
  std::string name;
  std::string interface = "wsgi";  // the apps it runs: "wsgi" | "asgi" (launch/app_catalog.h)
  // "verify": "skip": the suite measures it without `fwbench verify` (a variant known to break
  // the contract, e.g. uWSGI without its Date header) and marks its cells verify_skipped.
  bool verify_skip = false;
  std::vector<std::string> argv;  // with {placeholders}, see Render
  std::map<std::string, std::string> env;
  std::string stop_signal = "SIGTERM";
  double stop_timeout_s = 10;
  std::vector<std::string> quirks;               // shown in every cell's results
  std::map<std::string, BehindTemplate> behind;  // proxy name -> how it runs behind it
  nlohmann::json source;                         // the template as written, for the metadata
};

// A reverse proxy put in front of app servers (proxies.NAME): its command and stop signal.
struct ProxyTemplate {
  std::string name;
  std::vector<std::string> argv;  // with {config} {run_dir} and the server placeholders
  std::string package;            // the Debian package that provides argv[0], for errors
  std::string stop_signal = "SIGTERM";
  double stop_timeout_s = 10;
  std::vector<std::string> quirks;  // added to every proxied cell's quirks
  nlohmann::json source;
};

struct ServerCatalog {
  std::map<std::string, ServerTemplate> servers;
  std::map<std::string, ProxyTemplate> proxies;
  std::vector<std::string> db_init;  // command seeding a database, with {database_url}
};

// Reads a fwbench.servers/1 file. Throws fwbench::Error naming the file and the field.
ServerCatalog LoadServerCatalog(const std::filesystem::path& path);

// Replaces every {name} in each argument with vars.at(name). Throws fwbench::Error naming
// `where` and the placeholder when one is unknown.
std::vector<std::string> Render(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& vars,
                                const std::string& where);

// Renders a multi-line template (a proxy config): every {name} whose name is a lowercase
// identifier ([a-z_][a-z0-9_]*) is replaced with vars.at(name); every other brace is kept, so
// nginx blocks ("http {") pass through. Throws fwbench::Error naming `where`, the line and the
// placeholder when one is unknown.
std::string RenderText(const std::string& text, const std::map<std::string, std::string>& vars,
                       const std::string& where);

// Finds a program the way execvp would in `path` (a PATH value), then in /usr/sbin and /sbin
// (where Debian puts daemons such as nginx, often outside a user's PATH). "" when not found.
std::string FindProgram(const std::string& program, const std::string& path);

// "SIGTERM" -> 15. Throws fwbench::Error for names it does not know.
int SignalNumber(const std::string& name, const std::string& where);

}  // namespace fwbench::launch
