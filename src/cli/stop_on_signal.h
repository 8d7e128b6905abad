#pragma once
// How every fwbench command that runs for a while stops early: the first SIGINT or SIGTERM
// sets a flag the work polls (it then reports what it measured); a second one ends the process
// at once with the signal's default action.
#include <signal.h>

#include <atomic>
#include <string>
#include <thread>

namespace fwbench::cli {

// While alive, SIGINT and SIGTERM are taken synchronously by a sigwait thread: nothing runs in
// signal-handler context and no global state is needed. They are blocked in the constructing
// thread and so in every thread it starts afterwards: construct this before starting any.
// Children get an empty signal mask (launch::Process and common::RunProcess reset it). The
// first signal sets `stop` and prints `message` on stderr.
class StopOnSignal {
 public:
  StopOnSignal(std::atomic<bool>& stop, std::string message);
  ~StopOnSignal();
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;

 private:
  void Wait(std::atomic<bool>& stop);
  std::string message_;
  sigset_t set_, old_;
  std::thread waiter_;
};

}  // namespace fwbench::cli
