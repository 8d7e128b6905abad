#pragma once
// Reads the dumps callgrind writes for CALLGRIND_DUMP_STATS_AT(label): one file per dump,
// whose header carries "desc: Trigger: Client Request: <label>" and "totals: <Ir>".
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace fwbench::embed {

// label -> instructions (Ir) of every callgrind.out.* file in `dir` whose trigger is a client
// request label starting with `prefix`; dumps with the same label add up. Throws
// fwbench::Error naming the file when a matching dump has no totals line.
std::map<std::string, uint64_t> ReadCallgrindDumps(const std::filesystem::path& dir,
                                                   const std::string& prefix);

// The same for one dump's text (for tests): {label, Ir}, or {"", 0} when not a client-request
// dump with `prefix`.
std::pair<std::string, uint64_t> ParseCallgrindDump(const std::string& text,
                                                    const std::string& prefix,
                                                    const std::string& where);

}  // namespace fwbench::embed
