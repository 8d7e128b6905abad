#include "cli/stop_on_signal.h"

#include <pthread.h>

#include <cstdio>

namespace fwbench::cli {

StopOnSignal::StopOnSignal(std::atomic<bool>& stop, std::string message)
    : message_(std::move(message)) {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  sigaddset(&set_, SIGUSR2);  // our own wake-up at the end
  pthread_sigmask(SIG_BLOCK, &set_, &old_);
  waiter_ = std::thread([this, &stop] { Wait(stop); });
}

StopOnSignal::~StopOnSignal() {
  pthread_kill(waiter_.native_handle(), SIGUSR2);
  waiter_.join();
  pthread_sigmask(SIG_SETMASK, &old_, nullptr);
}

void StopOnSignal::Wait(std::atomic<bool>& stop) {
  int sig = 0;
  while (sigwait(&set_, &sig) == 0 && sig != SIGUSR2) {
    if (stop.exchange(true)) {  // the second one: quit now, as if nothing had caught it
      signal(sig, SIG_DFL);
      sigset_t one;
      sigemptyset(&one);
      sigaddset(&one, sig);
      pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
      raise(sig);
    }
    std::fprintf(stderr, "\n%s\n", message_.c_str());
  }
}

}  // namespace fwbench::cli
