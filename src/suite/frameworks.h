#pragma once
// apps/frameworks.json: where each reference app lives and how a WSGI server imports it.
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace fwbench::suite {

struct Framework {
  std::string name;
  std::filesystem::path dir;                      // absolute
  std::string wsgi;                               // "module:callable"
  std::map<std::string, std::string> env;         // e.g. DJANGO_SETTINGS_MODULE
  std::vector<std::filesystem::path> pythonpath;  // absolute; dir comes first
  nlohmann::json source;
};

// Reads the catalog; relative dirs resolve against the repository root. Throws
// fwbench::Error naming the file and field.
std::map<std::string, Framework> LoadFrameworks(const std::filesystem::path& path);

}  // namespace fwbench::suite
