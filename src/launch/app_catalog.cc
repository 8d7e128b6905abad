#include "launch/app_catalog.h"

#include <algorithm>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"

namespace fs = std::filesystem;

namespace fwbench::launch {
namespace {

constexpr char kLaunchRule[] =
    "cwd = dir; sys.path gets, in front of the interpreter's own entries, dir and then each "
    "pythonpath entry in order, an entry already listed being dropped; env is set before the "
    "import of wsgi (module:callable)";

const char* const kFields[] = {"dir", "interface", "wsgi", "pythonpath", "env", "version_module"};

fs::path FromRoot(const std::string& value) {
  fs::path p(value);
  return (p.is_absolute() ? p : SourceDir() / p).lexically_normal();
}

void AddPath(std::vector<fs::path>& paths, const fs::path& p) {
  if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(p);
}

std::string RequiredString(const nlohmann::json& spec, const std::string& key,
                           const std::string& where, const std::string& fix) {
  if (!spec.contains(key)) throw Error("missing field " + key, where + "." + key, fix);
  if (!spec[key].is_string() || spec[key].get<std::string>().empty())
    throw Error("must be a non-empty string", where + "." + key, fix);
  return spec[key].get<std::string>();
}

void SplitTarget(AppEntry& entry, const std::string& where) {
  const size_t colon = entry.wsgi.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == entry.wsgi.size() ||
      entry.wsgi.find(':', colon + 1) != std::string::npos)
    throw Error("'" + entry.wsgi + "' is not a WSGI target 'module:callable'", where,
                "write it like 'benchsite.wsgi:application'");
  entry.module = entry.wsgi.substr(0, colon);
  entry.callable = entry.wsgi.substr(colon + 1);
}

void ParsePythonpath(const nlohmann::json& spec, AppEntry& entry, const std::string& where) {
  if (!spec.contains("pythonpath")) return;
  const auto& list = spec["pythonpath"];
  const std::string fix = "give a list of folders, e.g. [\"apps/common\"]";
  if (!list.is_array()) throw Error("must be a list of strings", where + ".pythonpath", fix);
  for (size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string() || list[i].get<std::string>().empty())
      throw Error("must be a non-empty string", where + ".pythonpath[" + std::to_string(i) + "]",
                  fix);
    AddPath(entry.sys_path, FromRoot(list[i].get<std::string>()));
  }
}

void ParseEnv(const nlohmann::json& spec, AppEntry& entry, const std::string& where) {
  if (!spec.contains("env")) return;
  const auto& env = spec["env"];
  if (!env.is_object())
    throw Error("must be an object of strings", where + ".env",
                "e.g. {\"DJANGO_SETTINGS_MODULE\": \"benchsite.settings\"}");
  for (const auto& [key, value] : env.items()) {
    if (!value.is_string())
      throw Error("must be a string", where + ".env." + key, "quote the value");
    entry.env[key] = value.get<std::string>();
  }
}

AppEntry ParseEntry(const std::string& name, const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object())
    throw Error("must be an object", where, "give at least {\"dir\": ..., \"wsgi\": ...}");
  for (const auto& [key, value] : spec.items())
    if (key.rfind('_', 0) != 0 &&
        std::find(std::begin(kFields), std::end(kFields), key) == std::end(kFields))
      throw Error(
          "unknown field", where + "." + key,
          "known fields: dir, interface, wsgi, pythonpath, env, version_module (or _comment)");
  AppEntry entry;
  entry.name = name;
  entry.source = spec;
  entry.dir = FromRoot(
      RequiredString(spec, "dir", where, "give the app's folder, relative to the repository root"));
  entry.interface = ParseInterface(spec, where);
  entry.wsgi = RequiredString(spec, "wsgi", where, "give the WSGI callable as 'module:callable'");
  SplitTarget(entry, where + ".wsgi");
  entry.sys_path.push_back(entry.dir);
  ParsePythonpath(spec, entry, where);
  ParseEnv(spec, entry, where);
  entry.version_module = name;
  if (spec.contains("version_module")) {
    if (!spec["version_module"].is_string())
      throw Error("must be a string", where + ".version_module",
                  "name the distribution whose version the results report, e.g. \"flask\"");
    entry.version_module = spec["version_module"].get<std::string>();
  }
  return entry;
}

}  // namespace

const std::vector<std::string>& KnownInterfaces() {
  static const std::vector<std::string> kInterfaces = {"wsgi", "asgi"};
  return kInterfaces;
}

std::string ParseInterface(const nlohmann::json& spec, const std::string& where) {
  if (!spec.is_object() || !spec.contains("interface")) return "wsgi";
  const nlohmann::json& value = spec["interface"];
  const auto& known = KnownInterfaces();
  if (!value.is_string() ||
      std::find(known.begin(), known.end(), value.get<std::string>()) == known.end())
    throw Error(value.dump() + " is not an app interface", where + ".interface",
                "write \"wsgi\" or \"asgi\" (or leave the field out for \"wsgi\")");
  return value.get<std::string>();
}

const AppEntry& AppCatalog::Find(const std::string& name) const {
  auto it = apps.find(name);
  if (it != apps.end()) return it->second;
  std::string known;
  for (const auto& n : Names()) known += (known.empty() ? "" : ", ") + n;
  throw Error("no framework named \"" + name + "\" in " + file.string(), "frameworks." + name,
              "use one of: " + (known.empty() ? std::string("(none)") : known) +
                  ", or add an entry there (apps/README.md, \"Adding a framework\")");
}

std::vector<std::string> AppCatalog::Names() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : apps) names.push_back(name);
  return names;  // std::map keeps them sorted
}

fs::path DefaultCatalogFile() { return SourceDir() / "apps" / "frameworks.json"; }

AppCatalog LoadAppCatalog(const fs::path& file) {
  AppCatalog catalog;
  catalog.file = fs::absolute(file).lexically_normal();
  const std::string where = catalog.file.string();
  if (!fs::is_regular_file(catalog.file))
    throw Error("no app catalogue at " + where, where,
                "pass an existing file (--frameworks, or the suite's frameworks_file), or "
                "restore apps/frameworks.json");
  const nlohmann::json doc = ReadJsonFile(catalog.file);
  if (!doc.is_object() || !doc.contains("frameworks") || !doc["frameworks"].is_object())
    throw Error("missing object frameworks", where + ": frameworks",
                "write {\"frameworks\": {\"NAME\": {\"dir\": ..., \"wsgi\": ...}}}");
  if (doc["frameworks"].empty())
    throw Error("no framework listed", where + ": frameworks", "add at least one entry");
  for (const auto& [name, spec] : doc["frameworks"].items())
    catalog.apps[name] = ParseEntry(name, spec, where + ": frameworks." + name);
  return catalog;
}

AppEntry TargetEntry(const std::string& target, const std::vector<fs::path>& python_path,
                     const std::string& where) {
  AppEntry entry;
  entry.wsgi = target;
  SplitTarget(entry, where);
  for (const fs::path& p : python_path) AddPath(entry.sys_path, fs::absolute(p).lexically_normal());
  return entry;
}

nlohmann::json CatalogJson(const AppCatalog& catalog) {
  nlohmann::json frameworks = nlohmann::json::object();
  for (const auto& [name, e] : catalog.apps) {
    nlohmann::json sys_path = nlohmann::json::array();
    for (const auto& p : e.sys_path) sys_path.push_back(p.string());
    frameworks[name] = {{"dir", e.dir.string()},  {"interface", e.interface},
                        {"wsgi", e.wsgi},         {"module", e.module},
                        {"callable", e.callable}, {"sys_path", sys_path},
                        {"env", e.env},           {"version_module", e.version_module}};
  }
  return {{"schema", "fwbench.apps/1"},
          {"file", catalog.file.string()},
          {"default_profile", kDefaultProfile},
          {"launch_rule", kLaunchRule},
          {"frameworks", frameworks}};
}

}  // namespace fwbench::launch
