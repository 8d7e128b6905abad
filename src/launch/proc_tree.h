#pragma once
// One look at a process tree in /proc: CPU times and RSS of the root and its descendants.
#include <sys/types.h>

#include <vector>

namespace fwbench::launch {

struct ProcSample {
  pid_t pid = 0;
  pid_t ppid = 0;
  char state = '?';   // 'Z' for a zombie
  double user_s = 0;  // utime + cutime (reaped children included)
  double sys_s = 0;   // stime + cstime
  long rss_bytes = 0;
};

// The root and every live descendant, root first. Empty when the root is gone.
std::vector<ProcSample> SampleTree(pid_t root);

// The ProcSample of one process from /proc/PID/stat; false when it does not exist.
bool ReadProcStat(pid_t pid, ProcSample& out);

}  // namespace fwbench::launch
