#include "schema_check.h"

#include <fstream>

namespace fwbench::testing {
namespace {

using nlohmann::json;

bool HasType(const json& value, const std::string& type) {
  if (type == "object") return value.is_object();
  if (type == "array") return value.is_array();
  if (type == "string") return value.is_string();
  if (type == "boolean") return value.is_boolean();
  if (type == "null") return value.is_null();
  if (type == "integer") return value.is_number_integer();
  if (type == "number") return value.is_number();
  return false;
}

void Check(const json& root, const json& schema, const json& value, const std::string& at,
           std::vector<std::string>& errors) {
  if (schema.contains("$ref")) {
    std::string ref = schema["$ref"];  // "#/$defs/Name"
    Check(root, root.at(json::json_pointer(ref.substr(1))), value, at, errors);
    return;
  }
  if (schema.contains("type")) {
    json types = schema["type"].is_array() ? schema["type"] : json::array({schema["type"]});
    bool ok = false;
    for (const auto& t : types) ok = ok || HasType(value, t.get<std::string>());
    if (!ok) {
      errors.push_back(at + ": expected type " + schema["type"].dump() + ", got " +
                       value.dump().substr(0, 80));
      return;
    }
  }
  if (schema.contains("const") && value != schema["const"])
    errors.push_back(at + ": expected " + schema["const"].dump());
  if (schema.contains("enum")) {
    bool found = false;
    for (const auto& e : schema["enum"]) found = found || e == value;
    if (!found) errors.push_back(at + ": " + value.dump() + " not in " + schema["enum"].dump());
  }
  if (schema.contains("minimum") && value.is_number() &&
      value.get<double>() < schema["minimum"].get<double>())
    errors.push_back(at + ": below minimum " + schema["minimum"].dump());
  if (value.is_object()) {
    const json required = schema.value("required", json::array());
    const json properties = schema.value("properties", json::object());
    for (const auto& key : required)
      if (!value.contains(key.get<std::string>()))
        errors.push_back(at + ": missing required " + key.dump());
    for (const auto& [key, sub] : properties.items())
      if (value.contains(key)) Check(root, sub, value[key], at + "/" + key, errors);
  }
  if (value.is_array() && schema.contains("items"))
    for (size_t i = 0; i < value.size(); ++i)
      Check(root, schema["items"], value[i], at + "/" + std::to_string(i), errors);
}

}  // namespace

std::vector<std::string> CheckSchema(const json& schema, const json& doc) {
  std::vector<std::string> errors;
  Check(schema, schema, doc, "", errors);
  return errors;
}

std::filesystem::path SchemaFileFor(const json& doc, const std::filesystem::path& schema_dir) {
  if (!doc.is_object() || !doc.contains("schema") || !doc["schema"].is_string()) return {};
  const std::string name = doc["schema"];  // "fwbench.results/2"
  const size_t dot = name.find('.'), slash = name.rfind('/');
  if (name.rfind("fwbench.", 0) != 0 || slash == std::string::npos || slash < dot) return {};
  return schema_dir /
         (name.substr(dot + 1, slash - dot - 1) + ".v" + name.substr(slash + 1) + ".json");
}

std::vector<std::string> CheckAgainstItsSchema(const json& doc,
                                               const std::filesystem::path& schema_dir) {
  const std::filesystem::path file = SchemaFileFor(doc, schema_dir);
  if (file.empty())
    return {"/schema: expected \"fwbench.<name>/<major>\", got " +
            (doc.is_object() && doc.contains("schema") ? doc["schema"].dump() : "nothing")};
  std::ifstream in(file);
  if (!in)
    return {"/schema: " + doc["schema"].dump() + " has no JSON Schema at " + file.string() +
            " (add it beside the others in results/schema/)"};
  return CheckSchema(json::parse(in), doc);
}

}  // namespace fwbench::testing
