#include "launch/sampler.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include "launch/proc_tree.h"

namespace fwbench::launch {

nlohmann::json ToJson(const TreeUsage& usage) {
  nlohmann::json processes = nlohmann::json::array();
  for (const auto& [pid, p] : usage.processes)
    processes.push_back({{"pid", pid},
                         {"role", p.is_proxy  ? "proxy"
                                  : p.is_root ? "leader"
                                              : "child"},
                         {"cpu_user_s", p.cpu_user_s},
                         {"cpu_sys_s", p.cpu_sys_s},
                         {"rss_peak_bytes", p.rss_peak_bytes},
                         {"rss_mean_bytes", p.rss_mean_bytes}});
  return {{"cpu_user_s", usage.cpu_user_s},
          {"cpu_sys_s", usage.cpu_sys_s},
          {"workers", usage.workers},
          {"rss_peak_bytes_per_worker", usage.rss_peak_bytes_per_worker},
          {"rss_mean_bytes_per_worker", usage.rss_mean_bytes_per_worker},
          {"rss_peak_bytes_total", usage.rss_peak_bytes_total},
          {"samples", usage.samples},
          {"processes", processes}};
}

nlohmann::json ToJson(const ProxyUsage& usage) {
  return {{"cpu_user_s", usage.cpu_user_s},
          {"cpu_sys_s", usage.cpu_sys_s},
          {"rss_peak_bytes", usage.rss_peak_bytes},
          {"rss_mean_bytes", usage.rss_mean_bytes}};
}

TreeSampler::TreeSampler(pid_t root, int interval_ms, std::atomic<bool>& on_exit, pid_t proxy_root)
    : root_(root), proxy_root_(proxy_root), on_exit_(on_exit) {
  usage_.has_proxy = proxy_root > 0;
  SampleOnce();
  thread_ = std::thread([this, interval_ms] { Loop(interval_ms); });
}

TreeSampler::~TreeSampler() { Stop(); }

void TreeSampler::Stop() {
  {
    std::lock_guard lock(mutex_);
    done_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

TreeUsage TreeSampler::Finish() {
  Stop();
  SampleOnce();
  std::lock_guard lock(mutex_);
  return usage_;
}

void TreeSampler::Loop(int interval_ms) {
  auto next = std::chrono::steady_clock::now();
  while (true) {
    next += std::chrono::milliseconds(interval_ms);
    {
      std::unique_lock lock(mutex_);  // Stop() wakes it at once instead of after the interval
      if (wake_.wait_until(lock, next, [this] { return done_.load(); })) return;
    }
    SampleOnce();
  }
}

void TreeSampler::SampleOnce() {
  std::vector<ProcSample> tree = SampleTree(root_);
  std::vector<ProcSample> proxy;
  if (proxy_root_ > 0) proxy = SampleTree(proxy_root_);
  std::lock_guard lock(mutex_);
  if (usage_.root_exited) return;
  const bool proxy_gone = proxy_root_ > 0 && (proxy.empty() || proxy.front().state == 'Z');
  if (tree.empty() || tree.front().state == 'Z' || proxy_gone) {
    usage_.root_exited = true;
    on_exit_ = true;
    return;
  }
  const size_t server_size = tree.size();
  if (proxy_root_ > 0) tree.insert(tree.end(), proxy.begin(), proxy.end());
  double user = 0, sys = 0, proxy_user = 0, proxy_sys = 0;
  long total_rss = 0, worker_peak = 0, proxy_rss = 0;
  double worker_sum = 0;
  int workers = 0;
  for (size_t i = 0; i < tree.size(); ++i) {
    const ProcSample& p = tree[i];
    const bool in_proxy = i >= server_size;
    user += p.user_s;
    sys += p.sys_s;
    if (in_proxy) {
      proxy_user += p.user_s;
      proxy_sys += p.sys_s;
      if (p.state != 'Z') proxy_rss += p.rss_bytes;
    }
    auto [first, inserted] = first_cpu_.try_emplace(p.pid, p.user_s, p.sys_s);
    ProcessUsage& usage = usage_.processes[p.pid];
    usage.is_root = p.pid == root_;
    usage.is_proxy = in_proxy;
    usage.cpu_user_s = p.user_s - first->second.first;
    usage.cpu_sys_s = p.sys_s - first->second.second;
    if (p.state == 'Z') continue;
    usage.rss_peak_bytes = std::max(usage.rss_peak_bytes, p.rss_bytes);
    rss_sum_[p.pid] += p.rss_bytes;
    usage.rss_mean_bytes = rss_sum_[p.pid] / ++rss_count_[p.pid];
    total_rss += p.rss_bytes;
    bool is_worker = !in_proxy && (server_size == 1 || p.pid != root_);
    if (is_worker) {
      ++workers;
      worker_sum += p.rss_bytes;
      worker_peak = std::max(worker_peak, p.rss_bytes);
    }
  }
  if (tree_user0_ < 0) {
    tree_user0_ = user;
    tree_sys0_ = sys;
  }
  usage_.cpu_user_s = user - tree_user0_;
  usage_.cpu_sys_s = sys - tree_sys0_;
  ++usage_.samples;
  if (proxy_root_ > 0) {
    if (proxy_user0_ < 0) {
      proxy_user0_ = proxy_user;
      proxy_sys0_ = proxy_sys;
    }
    usage_.proxy.cpu_user_s = proxy_user - proxy_user0_;
    usage_.proxy.cpu_sys_s = proxy_sys - proxy_sys0_;
    usage_.proxy.rss_peak_bytes = std::max(usage_.proxy.rss_peak_bytes, proxy_rss);
    proxy_rss_sum_ += proxy_rss;
    usage_.proxy.rss_mean_bytes = proxy_rss_sum_ / usage_.samples;
  }
  usage_.workers = std::max(usage_.workers, workers);
  usage_.rss_peak_bytes_per_worker = std::max(usage_.rss_peak_bytes_per_worker, worker_peak);
  worker_rss_sum_ += workers > 0 ? worker_sum / workers : 0;
  usage_.rss_mean_bytes_per_worker = worker_rss_sum_ / usage_.samples;
  usage_.rss_peak_bytes_total = std::max(usage_.rss_peak_bytes_total, total_rss);
}

}  // namespace fwbench::launch
