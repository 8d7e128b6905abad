#include "launch/cpu_list.h"

#include <sched.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

namespace fwbench::launch {
namespace {

int ParseIndex(const std::string& text, const std::string& where) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw Error("bad CPU list entry \"" + text + "\"", where,
                "write CPUs like \"0\", \"0-1\" or \"0,2\"");
  return std::stoi(text);
}

}  // namespace

std::vector<int> ParseCpuList(const std::string& text, const std::string& where) {
  std::vector<int> cpus;
  if (text.empty()) return cpus;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  sched_getaffinity(0, sizeof allowed, &allowed);
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part = text.substr(start, comma - start);
    size_t dash = part.find('-');
    int lo = ParseIndex(part.substr(0, dash), where);
    int hi = dash == std::string::npos ? lo : ParseIndex(part.substr(dash + 1), where);
    if (hi < lo) throw Error("CPU range \"" + part + "\" is backwards", where);
    for (int cpu = lo; cpu <= hi; ++cpu) {
      if (cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed))
        throw Error("CPU " + std::to_string(cpu) + " is not available to fwbench", where,
                    "pick CPUs from 0 to nproc-1 (see `nproc` and `taskset -p $$`)");
      cpus.push_back(cpu);
    }
    start = comma + 1;
  }
  return cpus;
}

void PinCurrentThread(const std::vector<int>& cpus) {
  if (cpus.empty()) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  if (sched_setaffinity(0, sizeof set, &set) != 0)
    throw Error("sched_setaffinity failed: " + std::string(std::strerror(errno)), "pinning");
}

}  // namespace fwbench::launch
