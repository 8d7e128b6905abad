#include "launch/server_template.h"

#include <csignal>

#include "common/atomic_file.h"
#include "common/error.h"

namespace fwbench::launch {
namespace {

std::vector<std::string> Strings(const nlohmann::json& value, const std::string& where) {
  if (!value.is_array()) throw Error("must be a list of strings", where);
  std::vector<std::string> out;
  for (const auto& item : value) {
    if (!item.is_string()) throw Error("must be a list of strings", where);
    out.push_back(item.get<std::string>());
  }
  return out;
}

ServerTemplate ParseTemplate(const std::string& name, const nlohmann::json& spec,
                             const std::string& where) {
  if (!spec.is_object()) throw Error("must be an object", where);
  ServerTemplate t;
  t.name = name;
  t.source = spec;
  if (!spec.contains("argv")) throw Error("missing field argv", where, "give the command line");
  t.argv = Strings(spec["argv"], where + ".argv");
  if (t.argv.empty()) throw Error("argv is empty", where + ".argv");
  if (spec.contains("env")) {
    if (!spec["env"].is_object()) throw Error("must be an object of strings", where + ".env");
    for (const auto& [key, value] : spec["env"].items()) {
      if (!value.is_string()) throw Error("must be a string", where + ".env." + key);
      t.env[key] = value.get<std::string>();
    }
  }
  if (spec.contains("stop_signal")) {
    if (!spec["stop_signal"].is_string()) throw Error("must be a string", where + ".stop_signal");
    t.stop_signal = spec["stop_signal"].get<std::string>();
  }
  SignalNumber(t.stop_signal, where + ".stop_signal");
  if (spec.contains("stop_timeout_s")) {
    if (!spec["stop_timeout_s"].is_number() || spec["stop_timeout_s"].get<double>() < 0)
      throw Error("must be a number >= 0", where + ".stop_timeout_s");
    t.stop_timeout_s = spec["stop_timeout_s"].get<double>();
  }
  if (spec.contains("quirks")) t.quirks = Strings(spec["quirks"], where + ".quirks");
  return t;
}

}  // namespace

ServerCatalog LoadServerCatalog(const std::filesystem::path& path) {
  nlohmann::json doc = ReadJsonFile(path);
  std::string file = path.string();
  if (doc.value("schema", "") != "fwbench.servers/1")
    throw Error("schema must be \"fwbench.servers/1\"", file + ": schema");
  if (!doc.contains("servers") || !doc["servers"].is_object())
    throw Error("missing object servers", file + ": servers");
  ServerCatalog catalog;
  for (const auto& [name, spec] : doc["servers"].items())
    catalog.servers[name] = ParseTemplate(name, spec, file + ": servers." + name);
  if (doc.contains("db_init")) catalog.db_init = Strings(doc["db_init"], file + ": db_init");
  return catalog;
}

std::vector<std::string> Render(const std::vector<std::string>& args,
                                const std::map<std::string, std::string>& vars,
                                const std::string& where) {
  std::vector<std::string> out;
  for (const std::string& arg : args) {
    std::string text;
    size_t pos = 0;
    while (pos < arg.size()) {
      size_t open = arg.find('{', pos);
      if (open == std::string::npos) {
        text += arg.substr(pos);
        break;
      }
      size_t close = arg.find('}', open);
      if (close == std::string::npos) throw Error("unclosed '{' in \"" + arg + "\"", where);
      std::string key = arg.substr(open + 1, close - open - 1);
      auto it = vars.find(key);
      if (it == vars.end())
        throw Error("unknown placeholder {" + key + "}", where,
                    "use one of {port} {host} {workers} {threads} {python} {venv} {fwbench} "
                    "{root} {app_dir} {wsgi} {framework} {profile} {database_url}");
      text += arg.substr(pos, open - pos) + it->second;
      pos = close + 1;
    }
    out.push_back(text);
  }
  return out;
}

int SignalNumber(const std::string& name, const std::string& where) {
  static const std::map<std::string, int> kSignals = {{"SIGTERM", SIGTERM}, {"SIGINT", SIGINT},
                                                      {"SIGQUIT", SIGQUIT}, {"SIGKILL", SIGKILL},
                                                      {"SIGHUP", SIGHUP},   {"SIGUSR1", SIGUSR1}};
  auto it = kSignals.find(name);
  if (it == kSignals.end())
    throw Error("unknown signal \"" + name + "\"", where,
                "use SIGTERM, SIGINT, SIGQUIT, SIGKILL, SIGHUP or SIGUSR1");
  return it->second;
}

}  // namespace fwbench::launch
