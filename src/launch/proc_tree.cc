#include "launch/proc_tree.h"

#include <dirent.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>

namespace fwbench::launch {

bool ReadProcStat(pid_t pid, ProcSample& out) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  FILE* file = std::fopen(path, "re");
  if (!file) return false;
  char buffer[1024];
  size_t n = std::fread(buffer, 1, sizeof buffer - 1, file);
  std::fclose(file);
  buffer[n] = '\0';
  // The command name is in parentheses and may hold spaces: parse after the last ')'.
  char* rest = std::strrchr(buffer, ')');
  if (!rest) return false;
  static const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  static const long page = ::sysconf(_SC_PAGESIZE);
  char state;
  int ppid;
  unsigned long utime, stime;
  long cutime, cstime, rss;
  // Fields 3..24 of proc(5): state ppid pgrp session tty tpgid flags minflt cminflt majflt
  // cmajflt utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss.
  int got = std::sscanf(rest + 1,
                        " %c %d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu %ld %ld %*d %*d "
                        "%*d %*d %*u %*u %ld",
                        &state, &ppid, &utime, &stime, &cutime, &cstime, &rss);
  if (got != 7) return false;
  out.pid = pid;
  out.ppid = ppid;
  out.state = state;
  out.user_s = (utime + cutime) / ticks;
  out.sys_s = (stime + cstime) / ticks;
  out.rss_bytes = rss * page;
  return true;
}

std::vector<ProcSample> SampleTree(pid_t root) {
  std::vector<ProcSample> tree;
  ProcSample root_sample;
  if (!ReadProcStat(root, root_sample)) return tree;
  std::multimap<pid_t, ProcSample> by_parent;
  if (DIR* dir = ::opendir("/proc")) {
    while (dirent* entry = ::readdir(dir)) {
      char* end;
      long pid = std::strtol(entry->d_name, &end, 10);
      if (*end != '\0' || pid <= 0 || pid == root) continue;
      ProcSample sample;
      if (ReadProcStat(static_cast<pid_t>(pid), sample)) by_parent.emplace(sample.ppid, sample);
    }
    ::closedir(dir);
  }
  tree.push_back(root_sample);
  for (size_t i = 0; i < tree.size(); ++i) {
    auto [first, last] = by_parent.equal_range(tree[i].pid);
    for (auto it = first; it != last; ++it) tree.push_back(it->second);
  }
  return tree;
}

}  // namespace fwbench::launch
