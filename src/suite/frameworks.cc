#include "suite/frameworks.h"

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/paths.h"

namespace fwbench::suite {
namespace {

std::filesystem::path FromRoot(const std::string& value) {
  std::filesystem::path p(value);
  return p.is_absolute() ? p : SourceDir() / p;
}

}  // namespace

std::map<std::string, Framework> LoadFrameworks(const std::filesystem::path& path) {
  nlohmann::json doc = ReadJsonFile(path);
  std::string file = path.string();
  if (!doc.contains("frameworks") || !doc["frameworks"].is_object())
    throw Error("missing object frameworks", file + ": frameworks");
  std::map<std::string, Framework> out;
  for (const auto& [name, spec] : doc["frameworks"].items()) {
    std::string where = file + ": frameworks." + name;
    if (!spec.is_object()) throw Error("must be an object", where);
    Framework fw;
    fw.name = name;
    fw.source = spec;
    if (!spec.contains("dir") || !spec["dir"].is_string())
      throw Error("missing string dir", where + ".dir");
    if (!spec.contains("wsgi") || !spec["wsgi"].is_string())
      throw Error("missing string wsgi (\"module:callable\")", where + ".wsgi");
    fw.dir = FromRoot(spec["dir"].get<std::string>());
    fw.wsgi = spec["wsgi"].get<std::string>();
    fw.pythonpath.push_back(fw.dir);
    if (spec.contains("env") && spec["env"].is_object())
      for (const auto& [key, value] : spec["env"].items())
        if (value.is_string()) fw.env[key] = value.get<std::string>();
    if (spec.contains("pythonpath")) {
      const auto& pp = spec["pythonpath"];
      if (pp.is_string()) fw.pythonpath.push_back(FromRoot(pp.get<std::string>()));
      if (pp.is_array())
        for (const auto& item : pp)
          if (item.is_string()) fw.pythonpath.push_back(FromRoot(item.get<std::string>()));
    }
    out[name] = fw;
  }
  return out;
}

}  // namespace fwbench::suite
