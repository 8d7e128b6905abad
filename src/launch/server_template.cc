#include "launch/server_template.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"
#include "launch/app_catalog.h"

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

void ParseStop(const nlohmann::json& spec, const std::string& where, std::string& signal,
               double& timeout_s) {
  if (spec.contains("stop_signal")) {
    if (!spec["stop_signal"].is_string()) throw Error("must be a string", where + ".stop_signal");
    signal = spec["stop_signal"].get<std::string>();
  }
  SignalNumber(signal, where + ".stop_signal");
  if (spec.contains("stop_timeout_s")) {
    if (!spec["stop_timeout_s"].is_number() || spec["stop_timeout_s"].get<double>() < 0)
      throw Error("must be a number >= 0", where + ".stop_timeout_s");
    timeout_s = spec["stop_timeout_s"].get<double>();
  }
}

// servers.NAME.behind.PROXY: {"config": "bench/nginx/x.conf.tmpl", "argv": [...], "quirks"}.
BehindTemplate ParseBehind(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object()) throw Error("must be an object", where, "e.g. {\"config\": \"...\"}");
  for (const auto& [key, value] : spec.items())
    if (key != "argv" && key != "config" && key != "quirks" && key.rfind('_', 0) != 0)
      throw Error("unknown field", where + "." + key, "known fields: argv, config, quirks");
  BehindTemplate b;
  if (spec.contains("argv")) {
    b.argv = Strings(spec["argv"], where + ".argv");
    if (b.argv.empty()) throw Error("argv is empty", where + ".argv", "leave it out instead");
  }
  if (!spec.contains("config") || !spec["config"].is_string())
    throw Error("missing string field config", where + ".config",
                "give the proxy's config template, e.g. bench/nginx/proxy-buffered.conf.tmpl");
  b.config = spec["config"].get<std::string>();
  if (b.config.is_relative()) b.config = SourceDir() / b.config;
  if (!std::filesystem::exists(b.config))
    throw Error("config template not found: " + b.config.string(), where + ".config",
                "paths are relative to the repository root");
  if (spec.contains("quirks")) b.quirks = Strings(spec["quirks"], where + ".quirks");
  return b;
}

ProxyTemplate ParseProxy(const std::string& name, const nlohmann::json& spec,
                         const std::string& where) {
  if (!spec.is_object()) throw Error("must be an object", where);
  ProxyTemplate p;
  p.name = name;
  p.source = spec;
  if (!spec.contains("argv")) throw Error("missing field argv", where, "give the command line");
  p.argv = Strings(spec["argv"], where + ".argv");
  if (p.argv.empty()) throw Error("argv is empty", where + ".argv");
  if (spec.contains("package")) {
    if (!spec["package"].is_string()) throw Error("must be a string", where + ".package");
    p.package = spec["package"].get<std::string>();
  }
  ParseStop(spec, where, p.stop_signal, p.stop_timeout_s);
  if (spec.contains("quirks")) p.quirks = Strings(spec["quirks"], where + ".quirks");
  return p;
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
  t.interface = ParseInterface(spec, where);
  if (spec.contains("verify")) {
    const nlohmann::json& verify = spec["verify"];
    if (!verify.is_string() || (verify != "run" && verify != "skip"))
      throw Error(verify.dump() + " is not a verify setting", where + ".verify",
                  "write \"skip\" to measure this server without the contract check, or "
                  "\"run\" (the default)");
    t.verify_skip = verify == "skip";
  }
  if (spec.contains("env")) {
    if (!spec["env"].is_object()) throw Error("must be an object of strings", where + ".env");
    for (const auto& [key, value] : spec["env"].items()) {
      if (!value.is_string()) throw Error("must be a string", where + ".env." + key);
      t.env[key] = value.get<std::string>();
    }
  }
  ParseStop(spec, where, t.stop_signal, t.stop_timeout_s);
  if (spec.contains("quirks")) t.quirks = Strings(spec["quirks"], where + ".quirks");
  if (spec.contains("behind")) {
    if (!spec["behind"].is_object())
      throw Error("must be an object {PROXY: {...}}", where + ".behind");
    for (const auto& [proxy, b] : spec["behind"].items())
      if (proxy.rfind('_', 0) != 0) t.behind[proxy] = ParseBehind(b, where + ".behind." + proxy);
  }
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
  if (doc.contains("proxies")) {
    if (!doc["proxies"].is_object()) throw Error("must be an object", file + ": proxies");
    for (const auto& [name, spec] : doc["proxies"].items())
      if (name.rfind('_', 0) != 0)
        catalog.proxies[name] = ParseProxy(name, spec, file + ": proxies." + name);
  }
  for (const auto& [name, t] : catalog.servers)
    for (const auto& [proxy, b] : t.behind)
      if (!catalog.proxies.count(proxy))
        throw Error("names proxy \"" + proxy + "\", which is not in proxies",
                    file + ": servers." + name + ".behind." + proxy,
                    "define it under the top-level \"proxies\"");
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
                    "{root} {app_dir} {wsgi} {framework} {profile} {database_url} "
                    "{frameworks_file}");
      text += arg.substr(pos, open - pos) + it->second;
      pos = close + 1;
    }
    out.push_back(text);
  }
  return out;
}

std::string RenderText(const std::string& text, const std::map<std::string, std::string>& vars,
                       const std::string& where) {
  auto is_name = [](const std::string& key) {
    if (key.empty() || !(std::islower(static_cast<unsigned char>(key[0])) || key[0] == '_'))
      return false;
    for (char c : key)
      if (!(std::islower(static_cast<unsigned char>(c)) ||
            std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
        return false;
    return true;
  };
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find('{', pos);
    if (open == std::string::npos) {
      out += text.substr(pos);
      break;
    }
    size_t close = text.find('}', open);
    std::string key = close == std::string::npos ? "" : text.substr(open + 1, close - open - 1);
    if (!is_name(key)) {  // a block brace, not a placeholder
      out += text.substr(pos, open + 1 - pos);
      pos = open + 1;
      continue;
    }
    auto it = vars.find(key);
    if (it == vars.end()) {
      std::string known;
      for (const auto& [k, v] : vars) known += (known.empty() ? "{" : " {") + k + "}";
      const long line = 1 + std::count(text.begin(), text.begin() + open, '\n');
      throw Error("unknown placeholder {" + key + "}", where + ":" + std::to_string(line),
                  "use one of " + known);
    }
    out += text.substr(pos, open - pos) + it->second;
    pos = close + 1;
  }
  return out;
}

std::string FindProgram(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0 ? program : "";
  std::string dirs = path + ":/usr/sbin:/sbin:/usr/local/sbin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string dir = dirs.substr(start, end - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
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
