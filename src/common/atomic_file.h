#pragma once
#include <filesystem>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fwbench {

// Writes `content` to `path` atomically: a temporary file in the same folder, fsync, rename,
// fsync of the folder. An earlier file at `path` is never left corrupt. Throws fwbench::Error
// naming the path and the system error (for example a full disk) on any failure.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view content);

// WriteFileAtomic of `doc` as 2-space indented JSON with a trailing newline.
void WriteJsonAtomic(const std::filesystem::path& path, const nlohmann::json& doc);

// Reads a JSON file; throws fwbench::Error naming the file and the parse position.
nlohmann::json ReadJsonFile(const std::filesystem::path& path);

}  // namespace fwbench
