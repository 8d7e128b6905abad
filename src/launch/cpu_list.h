#pragma once
// CPU lists as Linux writes them: "0", "0-3", "0,2-3".
#include <string>
#include <vector>

namespace fwbench::launch {

// Parses a CPU list; "" gives an empty list (no pinning). Throws fwbench::Error naming
// `where` for bad syntax or a CPU this process may not run on.
std::vector<int> ParseCpuList(const std::string& text, const std::string& where);

// Pins the calling thread (and the threads it creates afterwards) to `cpus`; no-op if empty.
void PinCurrentThread(const std::vector<int>& cpus);

}  // namespace fwbench::launch
