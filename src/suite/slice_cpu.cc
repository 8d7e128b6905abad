#include "suite/slice_cpu.h"

#include <time.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "launch/proc_tree.h"

namespace fwbench::suite {
namespace {

int64_t SteadyNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1'000'000'000LL + ts.tv_nsec;
}

}  // namespace

namespace {

// Adds the nanoseconds on CPU of every thread of `pid` (/proc/PID/task/*/schedstat, first
// field; a thread that ends while being read is skipped). False when the kernel has no
// schedstat.
bool ThreadsOnCpuNs(pid_t pid, double& ns) {
  const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
  if (!std::filesystem::exists(tasks / std::to_string(pid) / "schedstat")) return false;
  std::error_code error;
  for (const auto& task : std::filesystem::directory_iterator(tasks, error)) {
    std::ifstream in(task.path() / "schedstat");
    double on_cpu = 0;
    if (in >> on_cpu) ns += on_cpu;
  }
  return true;
}

}  // namespace

double TreeCpuSeconds(pid_t root) {
  const auto tree = launch::SampleTree(root);
  if (tree.empty()) return -1;
  double ticks = 0, ns = 0;
  for (const auto& p : tree) ticks += p.user_s + p.sys_s;
  for (const auto& p : tree)
    if (!ThreadsOnCpuNs(p.pid, ns)) return ticks;  // one unit for the whole tree
  return ns / 1e9;
}

SliceCpu::SliceCpu(std::vector<AppTrees> apps, const std::vector<load::SliceSpec>& slices,
                   int64_t zero_ns, const std::atomic<bool>& stop)
    : apps_(std::move(apps)), stop_(stop) {
  for (const auto& s : slices)
    boundaries_.push_back(zero_ns + static_cast<int64_t>(s.start_s * 1e9));
  if (!slices.empty())
    boundaries_.push_back(
        zero_ns + static_cast<int64_t>((slices.back().start_s + slices.back().duration_s) * 1e9));
  totals_.assign(boundaries_.size(), std::vector<double>(apps_.size(), -1));
  proxy_totals_ = totals_;
  thread_ = std::thread([this] { Loop(); });
}

SliceCpu::~SliceCpu() {
  if (thread_.joinable()) thread_.join();
}

void SliceCpu::Loop() {
  for (size_t b = 0; b < boundaries_.size(); ++b) {
    while (!stop_) {  // sleep in short steps so a stop is seen within 50 ms
      const int64_t left = boundaries_[b] - SteadyNs();
      if (left <= 0) break;
      const int64_t step = std::min<int64_t>(left, 50'000'000);
      timespec ts{static_cast<time_t>(step / 1'000'000'000),
                  static_cast<long>(step % 1'000'000'000)};
      nanosleep(&ts, nullptr);
    }
    if (stop_) return;
    for (size_t a = 0; a < apps_.size(); ++a) {
      const double server = TreeCpuSeconds(apps_[a].server);
      const double proxy = apps_[a].proxy > 0 ? TreeCpuSeconds(apps_[a].proxy) : 0;
      proxy_totals_[b][a] = proxy;
      totals_[b][a] = server < 0 || proxy < 0 ? -1 : server + proxy;
    }
  }
}

std::vector<std::vector<double>> SliceCpu::Deltas(const std::vector<std::vector<double>>& totals,
                                                  size_t apps) {
  const size_t slices = totals.empty() ? 0 : totals.size() - 1;
  std::vector<std::vector<double>> cpu(apps, std::vector<double>(slices, 0));
  for (size_t a = 0; a < apps; ++a)
    for (size_t s = 0; s < slices; ++s) {
      const double begin = totals[s][a], end = totals[s + 1][a];
      if (begin >= 0 && end >= begin) cpu[a][s] = end - begin;
    }
  return cpu;
}

std::vector<std::vector<double>> SliceCpu::Finish() {
  if (thread_.joinable()) thread_.join();
  return Deltas(totals_, apps_.size());
}

std::vector<std::vector<double>> SliceCpu::ProxyCpu() const {
  return Deltas(proxy_totals_, apps_.size());
}

}  // namespace fwbench::suite
