#include "embed/callgrind_dumps.h"

#include <fstream>
#include <sstream>

#include "common/error.h"

namespace fwbench::embed {

std::pair<std::string, uint64_t> ParseCallgrindDump(const std::string& text,
                                                    const std::string& prefix,
                                                    const std::string& where) {
  static const std::string kTrigger = "desc: Trigger: Client Request: ";
  std::istringstream in(text);
  std::string line, label;
  bool have_totals = false;
  uint64_t totals = 0;
  while (std::getline(in, line)) {
    if (line.rfind(kTrigger, 0) == 0) {
      label = line.substr(kTrigger.size());
      if (label.rfind(prefix, 0) != 0) return {"", 0};
    } else if (line.rfind("totals:", 0) == 0 || line.rfind("summary:", 0) == 0) {
      std::istringstream numbers(line.substr(line.find(':') + 1));
      uint64_t value = 0;
      if (numbers >> value) {
        totals = value;  // totals (at the end) wins over summary (in older headers)
        have_totals = true;
      }
    }
  }
  if (label.empty()) return {"", 0};
  if (!have_totals) {
    throw Error("callgrind dump '" + label + "' has no totals line", where,
                "was the run cut short? rerun it");
  }
  return {label, totals};
}

std::map<std::string, uint64_t> ReadCallgrindDumps(const std::filesystem::path& dir,
                                                   const std::string& prefix) {
  std::map<std::string, uint64_t> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().filename().string().rfind("callgrind.out.", 0) != 0) continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    auto [label, ir] = ParseCallgrindDump(text.str(), prefix, entry.path().string());
    if (!label.empty()) out[label] += ir;
  }
  return out;
}

}  // namespace fwbench::embed
