#include "report/json_fields.h"

#include "common/error.h"

namespace fwbench::report {
namespace {

const char* TypeName(const nlohmann::json& value) { return value.type_name(); }

}  // namespace

std::string FieldPath(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

std::string FieldPath(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

void JsonFields::Fail(const std::string& path, const std::string& what,
                      const std::string& fix) const {
  throw Error("field '" + path + "': " + what, file_, fix);
}

const nlohmann::json& JsonFields::Member(const nlohmann::json& object, const std::string& path,
                                         const std::string& key, const char* expected) const {
  const std::string where = FieldPath(path, key);
  if (!object.is_object())
    Fail(path, std::string("expected an object, found ") + TypeName(object),
         "see results/SCHEMA.md");
  auto it = object.find(key);
  if (it == object.end()) {
    Fail(where, std::string("missing; expected ") + expected,
         "see results/SCHEMA.md for the field");
  }
  return *it;
}

const nlohmann::json& JsonFields::Object(const nlohmann::json& object, const std::string& path,
                                         const std::string& key) const {
  const auto& value = Member(object, path, key, "an object");
  if (!value.is_object())
    Fail(FieldPath(path, key), std::string("expected an object, found ") + TypeName(value),
         "see results/SCHEMA.md");
  return value;
}

const nlohmann::json& JsonFields::Array(const nlohmann::json& object, const std::string& path,
                                        const std::string& key) const {
  const auto& value = Member(object, path, key, "an array");
  if (!value.is_array())
    Fail(FieldPath(path, key), std::string("expected an array, found ") + TypeName(value),
         "see results/SCHEMA.md");
  return value;
}

std::string JsonFields::String(const nlohmann::json& object, const std::string& path,
                               const std::string& key) const {
  const auto& value = Member(object, path, key, "a string");
  if (!value.is_string())
    Fail(FieldPath(path, key), std::string("expected a string, found ") + TypeName(value),
         "see results/SCHEMA.md");
  return value.get<std::string>();
}

double JsonFields::Number(const nlohmann::json& object, const std::string& path,
                          const std::string& key) const {
  const auto& value = Member(object, path, key, "a number");
  if (!value.is_number())
    Fail(FieldPath(path, key), std::string("expected a number, found ") + TypeName(value),
         "see results/SCHEMA.md");
  return value.get<double>();
}

bool JsonFields::Bool(const nlohmann::json& object, const std::string& path,
                      const std::string& key) const {
  const auto& value = Member(object, path, key, "true or false");
  if (!value.is_boolean())
    Fail(FieldPath(path, key), std::string("expected true or false, found ") + TypeName(value),
         "see results/SCHEMA.md");
  return value.get<bool>();
}

std::optional<double> JsonFields::OptionalNumber(const nlohmann::json& object,
                                                 const std::string& path,
                                                 const std::string& key) const {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number())
    Fail(FieldPath(path, key), std::string("expected a number or null, found ") + TypeName(*it),
         "see results/SCHEMA.md");
  return it->get<double>();
}

std::optional<std::string> JsonFields::OptionalString(const nlohmann::json& object,
                                                      const std::string& path,
                                                      const std::string& key) const {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string())
    Fail(FieldPath(path, key), std::string("expected a string or null, found ") + TypeName(*it),
         "see results/SCHEMA.md");
  return it->get<std::string>();
}

}  // namespace fwbench::report
