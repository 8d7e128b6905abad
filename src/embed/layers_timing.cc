#include "embed/layers_timing.h"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <limits>
#include <string>

#include "common/error.h"

namespace fwbench::embed {
namespace {

constexpr int kCalibrationPairs = 20000;
constexpr int kCalibrationRounds = 5;
constexpr const char* kWhere = "fwbench inproc --layers (thread CPU)";

}  // namespace

// One end of a pipe as lines: a message is one line of JSON.
class Channel {
 public:
  Channel(int read_fd, int write_fd) : in_(::fdopen(read_fd, "r")), out_(::fdopen(write_fd, "w")) {}
  ~Channel() {
    if (in_) std::fclose(in_);
    if (out_) std::fclose(out_);
  }
  Channel(const Channel&) = delete;
  Channel& operator=(const Channel&) = delete;

  void Send(const nlohmann::json& message) {
    std::string line = message.dump() + "\n";
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
  }
  // The next message; null at end of file.
  nlohmann::json Receive() {
    std::string line;
    for (int c; (c = std::fgetc(in_)) != EOF && c != '\n';) line += static_cast<char>(c);
    return line.empty() ? nlohmann::json() : nlohmann::json::parse(line);
  }

 private:
  FILE* in_;
  FILE* out_;
};

namespace {

// The twin's answer; throws its error, or a dead twin's.
nlohmann::json Answer(Channel& channel) {
  nlohmann::json reply = channel.Receive();
  if (reply.is_null()) {
    throw Error("the marked twin process stopped answering", kWhere,
                "see its error above; rerun with --no-ns to skip the thread-CPU pass");
  }
  if (reply.contains("error")) {
    throw Error("the marked twin failed: " + reply["error"].get<std::string>(), kWhere,
                "fix the error; rerun with --no-ns to skip the thread-CPU pass");
  }
  return reply;
}

}  // namespace

double MeasureClockReadNs() {
  double least = std::numeric_limits<double>::infinity();
  for (int round = 0; round < kCalibrationRounds; ++round) {
    LayerStack scratch;
    scratch.SetTiming(true);
    scratch.Arm(LayerStack::kNoLayer);
    for (int i = 0; i < kCalibrationPairs; ++i) {
      fwbench_layer_enter(&scratch, static_cast<int>(Layer::kView));
      fwbench_layer_leave(&scratch, static_cast<int>(Layer::kView));
    }
    scratch.Disarm();
    int64_t ns = 0, reads = 0;
    for (int layer = 0; layer < kLayerCount; ++layer) {
      ns += scratch.times().ns[layer];
      reads += scratch.times().reads[layer];
    }
    if (reads > 0) least = std::min(least, static_cast<double>(ns) / reads);
  }
  return least;
}

int CallsPerBatch(int64_t warmup_ns, int warmup_calls, double batch_s) {
  double per_call = static_cast<double>(warmup_ns) / std::max(warmup_calls, 1);
  double calls = per_call > 0 ? batch_s * 1e9 / per_call : 100000;
  return static_cast<int>(std::clamp(std::llround(calls), 5LL, 100000LL));
}

LayerTwin::LayerTwin(bool fork) {
  if (!fork) return;
  // Both processes on this one CPU: the two vCPUs of this VM run at different speeds for
  // seconds at a time (host_speed.h), and a pair split across them measured that, up to 2x.
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(std::max(::sched_getcpu(), 0), &one);
  if (::sched_setaffinity(0, sizeof one, &one) != 0) {
    throw Error("cannot pin the thread-CPU pass to one CPU", kWhere,
                "run it where sched_setaffinity is allowed");
  }
  int to_twin[2], from_twin[2];
  if (::pipe(to_twin) != 0 || ::pipe(from_twin) != 0) {
    throw Error("cannot make a pipe to the marked twin", kWhere, "check the open-file limit");
  }
  std::fflush(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) throw Error("cannot fork the marked twin", kWhere, "check the process limit");
  twin_ = pid_ == 0;
  ::close(twin_ ? to_twin[1] : to_twin[0]);
  ::close(twin_ ? from_twin[0] : from_twin[1]);
  channel_ = twin_ ? std::make_unique<Channel>(to_twin[0], from_twin[1])
                   : std::make_unique<Channel>(from_twin[0], to_twin[1]);
}

LayerTwin::~LayerTwin() {
  channel_.reset();  // the twin reads end of file and exits
  if (twin_ || pid_ <= 0) return;
  if (!finished_) ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void LayerTwin::Fail(const std::string& what) {
  channel_->Send({{"error", what}});
  std::fflush(nullptr);
  ::_exit(1);
}

// Requests, one line each: {"warmup": i} warms route i up and calibrates the clock read ->
// {"clock_read_ns"}; {"batch": i, "calls": n, "untimed_first": bool} runs one batch with the
// markers but no clock reads (what the markers cost on their own) and one timed batch, in
// that order or the other -> {"untimed", "instrumented", "layers", "reads"}; {"end": true} or
// end of file ends it.
void LayerTwin::Serve(LayerBatches& batches, LayerStack& stack,
                      const std::function<WsgiBridge&()>& install,
                      const std::vector<RouteCase>& cases, const LayersOptions& options) {
  try {
    WsgiBridge& marked = install();
    double read_ns = 0;
    for (nlohmann::json ask = channel_->Receive(); ask.is_object() && !ask.contains("end");
         ask = channel_->Receive()) {
      if (ask.contains("warmup")) {
        batches.WarmUp(marked, cases.at(ask["warmup"].get<size_t>()).request, options.warmup);
        read_ns = MeasureClockReadNs();
        channel_->Send({{"clock_read_ns", read_ns}});
        continue;
      }
      const WsgiRequest& request = cases.at(ask["batch"].get<size_t>()).request;
      const int calls = ask["calls"].get<int>();
      const bool untimed_first = ask.value("untimed_first", false);
      int64_t untimed_ns = 0;
      if (untimed_first) untimed_ns = batches.Timed(marked, request, calls);
      stack.SetTiming(true);
      stack.ResetTimes();
      const int64_t batch_ns = batches.Timed(marked, request, calls);
      stack.SetTiming(false);
      if (!untimed_first) untimed_ns = batches.Timed(marked, request, calls);
      nlohmann::json layers = nlohmann::json::array(), layer_reads = nlohmann::json::array();
      int64_t reads = 0;
      for (int layer = 0; layer < kLayerCount; ++layer) {
        const int64_t n = stack.times().reads[layer];
        layers.push_back((static_cast<double>(stack.times().ns[layer]) - read_ns * n) / calls);
        layer_reads.push_back(static_cast<double>(n) / calls);
        reads += n;
      }
      channel_->Send({{"untimed", static_cast<double>(untimed_ns) / calls},
                      {"instrumented", static_cast<double>(batch_ns) / calls},
                      {"layers", layers},
                      {"reads", static_cast<double>(reads) / calls},
                      {"layer_reads", layer_reads}});
    }
  } catch (const std::exception& e) {
    Fail(e.what());
  }
  std::fflush(nullptr);
  ::_exit(0);
}

void LayerTwin::Drive(LayerBatches& batches, WsgiBridge& plain, const std::vector<RouteCase>& cases,
                      const LayersOptions& options, nlohmann::json& rows) {
  for (size_t i = 0; i < cases.size(); ++i) {
    const WsgiRequest& request = cases[i].request;
    const int warmup = std::max(options.warmup, 10);
    const int calls =
        CallsPerBatch(batches.WarmUp(plain, request, warmup), warmup, options.ns_batch_s);
    channel_->Send({{"warmup", i}});
    const double read_ns = Answer(*channel_).at("clock_read_ns").get<double>();
    nlohmann::json plain_ns = nlohmann::json::array(), instrumented = nlohmann::json::array();
    nlohmann::json untimed = nlohmann::json::array(), layer_reads = nlohmann::json::array();
    nlohmann::json sums = nlohmann::json::array(), layers = nlohmann::json::object();
    double reads = 0;
    auto time_plain = [&] {
      plain_ns.push_back(static_cast<double>(batches.Timed(plain, request, calls)) / calls);
    };
    for (int b = 0; b < options.ns_batches; ++b) {
      if (b % 2 == 0) time_plain();  // plain first in even batches, second in odd ones
      // The twin's two batches swap places every other pair as well.
      channel_->Send({{"batch", i}, {"calls", calls}, {"untimed_first", b % 4 < 2}});
      nlohmann::json marked = Answer(*channel_);
      if (b % 2 == 1) time_plain();
      instrumented.push_back(marked["instrumented"]);
      untimed.push_back(marked["untimed"]);
      layer_reads.push_back(marked["layer_reads"]);
      double sum = 0;
      for (int layer = 0; layer < kLayerCount; ++layer) {
        const double ns = marked["layers"][layer].get<double>();
        layers[LayerNames()[layer]].push_back(ns);
        sum += ns;
      }
      sums.push_back(sum);
      reads += marked["reads"].get<double>();
    }
    rows[i]["thread_cpu"] = {{"calls_per_batch", calls},
                             {"plain", plain_ns},
                             {"instrumented", instrumented},
                             {"untimed", untimed},
                             {"layer_reads", layer_reads},
                             {"layer_sum", sums},
                             {"layers", layers},
                             {"clock_read_ns", read_ns},
                             {"clock_reads_per_request", reads / options.ns_batches}};
  }
  channel_->Send({{"end", true}});
  finished_ = true;
}

}  // namespace fwbench::embed
