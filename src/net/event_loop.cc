#include "net/event_loop.h"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <string>

#include "common/error.h"

namespace fwbench::net {

EventLoop::EventLoop(int max_events)
    : epoll_(epoll_create1(EPOLL_CLOEXEC)), events_(max_events > 0 ? max_events : 1) {
  if (!epoll_) throw Error("epoll_create1 failed: " + std::string(std::strerror(errno)));
}

void EventLoop::Add(int fd, uint32_t events, uint64_t token) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = token;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0) {
    throw Error("epoll_ctl(ADD) failed: " + std::string(std::strerror(errno)),
                "fd " + std::to_string(fd));
  }
}

void EventLoop::Modify(int fd, uint32_t events, uint64_t token) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = token;
  if (epoll_ctl(epoll_.get(), EPOLL_CTL_MOD, fd, &ev) < 0) {
    throw Error("epoll_ctl(MOD) failed: " + std::string(std::strerror(errno)),
                "fd " + std::to_string(fd));
  }
}

void EventLoop::Remove(int fd) { epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr); }

std::span<const epoll_event> EventLoop::Wait(int64_t timeout_us) {
  const int capacity = static_cast<int>(events_.size());
  int n;
  if (have_pwait2_) {
    timespec ts{};
    timespec* tp = nullptr;
    if (timeout_us >= 0) {
      ts.tv_sec = timeout_us / 1000000;
      ts.tv_nsec = (timeout_us % 1000000) * 1000;
      tp = &ts;
    }
    n = epoll_pwait2(epoll_.get(), events_.data(), capacity, tp, nullptr);
    if (n < 0 && errno == ENOSYS) {
      have_pwait2_ = false;
      return Wait(timeout_us);
    }
  } else {
    const int timeout_ms = timeout_us < 0 ? -1 : static_cast<int>((timeout_us + 999) / 1000);
    n = epoll_wait(epoll_.get(), events_.data(), capacity, timeout_ms);
  }
  if (n < 0) {
    if (errno == EINTR) return {};
    throw Error("epoll_wait failed: " + std::string(std::strerror(errno)));
  }
  return {events_.data(), static_cast<size_t>(n)};
}

}  // namespace fwbench::net
