#pragma once
// Samples a server's process tree in the background during a measured window.
#include <sys/types.h>

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

namespace fwbench::launch {

struct ProcessUsage {
  double cpu_user_s = 0, cpu_sys_s = 0;  // during the window
  long rss_peak_bytes = 0;
  double rss_mean_bytes = 0;
  bool is_root = false;
  bool is_proxy = false;  // in the proxy's tree
};

// The proxy's tree alone (nginx's master and workers), when the server has one.
struct ProxyUsage {
  double cpu_user_s = 0, cpu_sys_s = 0;  // during the window
  long rss_peak_bytes = 0;               // the tree's RSS, peak over samples
  double rss_mean_bytes = 0;
};

struct TreeUsage {
  // Whole tree during the window, the proxy's tree included.
  double cpu_user_s = 0, cpu_sys_s = 0;
  // The app server's processes below the root, or 1 (the root) when it has none; the proxy's
  // processes are not workers (the per-worker RSS is the app's).
  int workers = 0;
  long rss_peak_bytes_per_worker = 0;
  double rss_mean_bytes_per_worker = 0;
  long rss_peak_bytes_total = 0;  // the proxy's tree included
  int samples = 0;
  // The server's leader (or the proxy's) died (or became a zombie) in the window.
  bool root_exited = false;
  std::map<pid_t, ProcessUsage> processes;
  bool has_proxy = false;
  ProxyUsage proxy;
};

nlohmann::json ToJson(const TreeUsage& usage);
nlohmann::json ToJson(const ProxyUsage& usage);

class TreeSampler {
 public:
  // Starts sampling `root` (and `proxy_root`'s tree when > 0) every interval_ms. When either
  // root exits, sets `on_exit` to true (so a load run against it can stop early).
  TreeSampler(pid_t root, int interval_ms, std::atomic<bool>& on_exit, pid_t proxy_root = 0);
  ~TreeSampler();  // stops the thread
  TreeSampler(const TreeSampler&) = delete;
  TreeSampler& operator=(const TreeSampler&) = delete;

  // Stops sampling (after one final sample) and returns the usage over the window.
  TreeUsage Finish();

 private:
  void Loop(int interval_ms);
  void Stop();  // wakes and joins the thread
  void SampleOnce();
  pid_t root_, proxy_root_;
  std::atomic<bool>& on_exit_;
  std::atomic<bool> done_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  TreeUsage usage_;
  std::map<pid_t, std::pair<double, double>> first_cpu_;  // pid -> (user, sys) when first seen
  double tree_user0_ = -1, tree_sys0_ = -1, proxy_user0_ = -1, proxy_sys0_ = -1;
  double proxy_rss_sum_ = 0;
  double worker_rss_sum_ = 0;
  std::map<pid_t, double> rss_sum_;
  std::map<pid_t, int> rss_count_;
  std::thread thread_;
};

}  // namespace fwbench::launch
