#pragma once
// EventLoop: a thin, allocation-free wrapper over one epoll instance, for one thread.
// Registration is level-triggered unless the caller passes EPOLLET. Each fd carries a 64-bit
// token chosen by the caller (an index or a pointer); Wait() hands back (token, events) pairs
// and the caller dispatches. Not thread-safe: one loop per thread.
#include <sys/epoll.h>

#include <cstdint>
#include <span>
#include <vector>

#include "common/fd.h"

namespace fwbench::net {

class EventLoop {
 public:
  // `max_events`: how many ready fds one Wait() can return. Throws fwbench::Error on failure.
  explicit EventLoop(int max_events = 256);

  // Register/modify/unregister `fd` for `events` (EPOLLIN, EPOLLOUT, ...). Add and Modify throw
  // on failure; Remove ignores errors (closing an fd also removes it from epoll).
  void Add(int fd, uint32_t events, uint64_t token);
  void Modify(int fd, uint32_t events, uint64_t token);
  void Remove(int fd);

  // Waits at most `timeout_us` microseconds (-1: forever, 0: poll) with microsecond precision
  // (epoll_pwait2; falls back to milliseconds, rounded up, on kernels without it). Returns the
  // ready events, valid until the next Wait(); empty on timeout or EINTR.
  std::span<const epoll_event> Wait(int64_t timeout_us);

  int fd() const { return epoll_.get(); }

 private:
  Fd epoll_;
  std::vector<epoll_event> events_;
  bool have_pwait2_ = true;
};

}  // namespace fwbench::net
