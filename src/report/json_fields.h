#pragma once
// Typed access to fields of a JSON document read from a file. Every failure throws
// fwbench::Error naming the file, the field's path (e.g. "cells[3].summary.rps.median") and
// what was expected, so a malformed or mismatched file is fixed without reading the code.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace fwbench::report {

class JsonFields {
 public:
  explicit JsonFields(std::string file) : file_(std::move(file)) {}

  const std::string& file() const { return file_; }

  // The member `key` of `object` (found at `path`); throws when missing or not `type`.
  const nlohmann::json& Object(const nlohmann::json& object, const std::string& path,
                               const std::string& key) const;
  const nlohmann::json& Array(const nlohmann::json& object, const std::string& path,
                              const std::string& key) const;
  std::string String(const nlohmann::json& object, const std::string& path,
                     const std::string& key) const;
  double Number(const nlohmann::json& object, const std::string& path,
                const std::string& key) const;
  bool Bool(const nlohmann::json& object, const std::string& path, const std::string& key) const;
  // Empty when the member is absent or null; throws when it has another type.
  std::optional<double> OptionalNumber(const nlohmann::json& object, const std::string& path,
                                       const std::string& key) const;
  std::optional<std::string> OptionalString(const nlohmann::json& object, const std::string& path,
                                            const std::string& key) const;

  // Throws "<file>: <path>: <what>" with `fix`.
  [[noreturn]] void Fail(const std::string& path, const std::string& what,
                         const std::string& fix) const;

 private:
  const nlohmann::json& Member(const nlohmann::json& object, const std::string& path,
                               const std::string& key, const char* expected) const;
  std::string file_;
};

// "a.b" joined, or "a[3]" for an index.
std::string FieldPath(const std::string& parent, const std::string& key);
std::string FieldPath(const std::string& parent, size_t index);

}  // namespace fwbench::report
