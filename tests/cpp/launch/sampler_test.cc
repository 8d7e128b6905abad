#include "launch/sampler.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "launch/proc_tree.h"
#include "launch/process.h"

namespace fwbench::launch {
namespace {

TEST(ProcTree, FindsTheRootAndItsDescendants) {
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", "sleep 30 & sleep 30 & wait"};
  Process p = Process::Spawn(options);
  std::vector<ProcSample> tree;
  for (int i = 0; i < 100 && tree.size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    tree = SampleTree(p.pid());
  }
  ASSERT_EQ(tree.size(), 3u);
  EXPECT_EQ(tree[0].pid, p.pid());
  EXPECT_GT(tree[0].rss_bytes, 0);
  EXPECT_TRUE(p.Stop(SIGTERM, 5));
  EXPECT_TRUE(SampleTree(p.pid()).empty());
}

TEST(TreeSampler, CountsCpuOfBusyChildrenAndRss) {
  SpawnOptions options;
  // Two busy children (a counting loop, no forks); the root only waits.
  options.argv = {"/bin/sh", "-c",
                  "for w in 1 2; do (i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done) & "
                  "done; wait"};
  Process p = Process::Spawn(options);
  std::atomic<bool> exited{false};
  TreeSampler sampler(p.pid(), 50, exited);
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  TreeUsage usage = sampler.Finish();
  EXPECT_FALSE(usage.root_exited);
  EXPECT_GT(usage.cpu_user_s + usage.cpu_sys_s, 0.1);
  EXPECT_EQ(usage.workers, 2);
  EXPECT_GT(usage.rss_peak_bytes_per_worker, 0);
  EXPECT_GE(usage.rss_peak_bytes_total, usage.rss_peak_bytes_per_worker);
  EXPECT_GE(usage.processes.size(), 3u);
  EXPECT_GT(usage.samples, 2);
  p.Stop(SIGKILL, 0);
}

TEST(TreeSampler, CountsAProxyTreeWithTheServerAndOnItsOwn) {
  SpawnOptions idle, busy;
  idle.argv = {"/bin/sh", "-c", "sleep 30 & wait"};  // the "server": a root and a worker
  // The "proxy": a root and one busy worker.
  busy.argv = {"/bin/sh", "-c",
               "(i=0; while [ $i -lt 2000000 ]; do i=$((i+1)); done) & wait"};
  Process server = Process::Spawn(idle);
  Process proxy = Process::Spawn(busy);
  std::atomic<bool> exited{false};
  TreeSampler sampler(server.pid(), 50, exited, proxy.pid());
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  TreeUsage usage = sampler.Finish();
  EXPECT_FALSE(usage.root_exited);
  ASSERT_TRUE(usage.has_proxy);
  const double proxy_cpu = usage.proxy.cpu_user_s + usage.proxy.cpu_sys_s;
  EXPECT_GT(proxy_cpu, 0.1);
  EXPECT_GE(usage.cpu_user_s + usage.cpu_sys_s, proxy_cpu);  // the total includes it
  EXPECT_EQ(usage.workers, 1);                               // the proxy's are not workers
  EXPECT_GT(usage.proxy.rss_peak_bytes, 0);
  EXPECT_GE(usage.rss_peak_bytes_total, usage.proxy.rss_peak_bytes);
  int proxy_processes = 0;
  for (const auto& [pid, p] : usage.processes) proxy_processes += p.is_proxy;
  EXPECT_EQ(proxy_processes, 2);
  EXPECT_EQ(ToJson(usage)["processes"].size(), usage.processes.size());
  // The proxy dying ends the window like the server dying.
  std::atomic<bool> gone{false};
  TreeSampler after(server.pid(), 20, gone, proxy.pid());
  proxy.Stop(SIGKILL, 0);
  for (int i = 0; i < 250 && !gone; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(gone);
  server.Stop(SIGKILL, 0);
}

TEST(TreeSampler, NoticesTheRootExiting) {
  SpawnOptions options;
  options.argv = {"/bin/sh", "-c", "sleep 0.2"};
  Process p = Process::Spawn(options);
  std::atomic<bool> exited{false};
  TreeSampler sampler(p.pid(), 20, exited);
  for (int i = 0; i < 250 && !exited; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(exited);
  EXPECT_TRUE(sampler.Finish().root_exited);
}

}  // namespace
}  // namespace fwbench::launch
