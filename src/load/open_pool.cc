#include "load/open_pool.h"

#include <algorithm>

namespace fwbench::load {

void PoolCounts::Merge(const PoolCounts& o) {
  opened += o.opened;
  closed_over_cap += o.closed_over_cap;
  closed_by_server += o.closed_by_server;
  peak_open += o.peak_open;
  peak_in_flight += o.peak_in_flight;
  peak_waiting += o.peak_waiting;
}

nlohmann::json PoolCounts::ToJson(int idle_cap, int max_in_flight) const {
  return {{"idle_cap", idle_cap},
          {"max_in_flight", max_in_flight},
          {"opened", opened},
          {"closed_over_cap", closed_over_cap},
          {"closed_by_server", closed_by_server},
          {"peak_open", peak_open},
          {"peak_in_flight", peak_in_flight},
          {"peak_waiting", peak_waiting}};
}

OpenPool::OpenPool(uint32_t first, uint32_t slots, int idle_cap)
    : first_(first), idle_cap_(static_cast<size_t>(std::max(0, idle_cap))), state_(slots) {
  for (uint32_t i = slots; i > 0; --i) free_.push_back(first + i - 1);
}

void OpenPool::Push(const Request& request) {
  waiting_.push_back(request);
  Peaks();
}

Request OpenPool::Pop() {
  Request r = waiting_.front();
  waiting_.pop_front();
  return r;
}

std::optional<uint32_t> OpenPool::TakeIdle() {
  if (idle_.empty()) return std::nullopt;
  const uint32_t slot = idle_.back();
  idle_.pop_back();
  At(slot) = Slot::kBusy;
  ++busy_;
  Peaks();
  return slot;
}

std::optional<uint32_t> OpenPool::ToOpen() {
  if (free_.empty() || connecting_ >= waiting_.size()) return std::nullopt;
  const uint32_t slot = free_.back();
  free_.pop_back();
  At(slot) = Slot::kConnecting;
  ++connecting_;
  ++counts_.opened;
  Peaks();
  return slot;
}

void OpenPool::Opened(uint32_t slot) {
  At(slot) = Slot::kIdle;
  --connecting_;
  idle_.push_front(slot);  // unproven: used after every connection that has carried a response
}

void OpenPool::Done(uint32_t slot) {
  At(slot) = Slot::kIdle;
  --busy_;
  idle_.push_back(slot);
}

std::optional<uint32_t> OpenPool::OverCap() {
  if (idle_.size() <= idle_cap_) return std::nullopt;
  const uint32_t slot = idle_.front();
  idle_.pop_front();
  At(slot) = Slot::kFree;
  free_.push_back(slot);
  ++counts_.closed_over_cap;
  return slot;
}

void OpenPool::Free(uint32_t slot, bool by_server) {
  switch (At(slot)) {
    case Slot::kFree:
      return;
    case Slot::kConnecting:
      --connecting_;
      break;
    case Slot::kBusy:
      --busy_;
      break;
    case Slot::kIdle:
      idle_.erase(std::find(idle_.begin(), idle_.end(), slot));
      break;
  }
  At(slot) = Slot::kFree;
  free_.push_back(slot);
  if (by_server) ++counts_.closed_by_server;
}

void OpenPool::Peaks() {
  const uint64_t open = state_.size() - free_.size();
  counts_.peak_open = std::max(counts_.peak_open, open);
  counts_.peak_in_flight = std::max<uint64_t>(counts_.peak_in_flight, busy_);
  counts_.peak_waiting = std::max<uint64_t>(counts_.peak_waiting, waiting_.size());
}

}  // namespace fwbench::load
