#include "load/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "common/error.h"

namespace fwbench::load {

Histogram::Histogram(uint64_t highest, int significant_digits)
    : highest_(highest), digits_(significant_digits) {
  if (significant_digits < 1 || significant_digits > 5 || highest < 2) {
    throw Error("histogram parameters out of range", "Histogram",
                "use 1..5 significant digits and highest >= 2");
  }
  const uint64_t largest_single_unit = 2 * static_cast<uint64_t>(std::pow(10, significant_digits));
  const int sub_bucket_magnitude = std::bit_width(largest_single_unit - 1);  // ceil(log2)
  half_magnitude_ = sub_bucket_magnitude - 1;
  half_count_ = uint64_t{1} << half_magnitude_;
  counts_.assign(IndexOf(highest_) + 1, 0);
}

size_t Histogram::IndexOf(uint64_t value) const {
  // floor(log2(value | (2H - 1))) >= h, so bucket b >= 0 and sub lies in [H, 2H) for b > 0.
  const int magnitude = std::bit_width(value | (2 * half_count_ - 1)) - 1;
  const int bucket = magnitude - half_magnitude_;
  const uint64_t sub = value >> bucket;
  return static_cast<size_t>(bucket) * half_count_ + sub;
}

uint64_t Histogram::ValueAt(size_t index) const {
  const int64_t bucket = static_cast<int64_t>(index / half_count_) - 1;
  if (bucket < 0) return index;
  return (index % half_count_ + half_count_) << bucket;
}

uint64_t Histogram::HighestAt(size_t index) const {
  const int64_t bucket = static_cast<int64_t>(index / half_count_) - 1;
  return ValueAt(index) + (bucket <= 0 ? 0 : (uint64_t{1} << bucket) - 1);
}

void Histogram::Record(uint64_t value) {
  value = std::min(value, highest_);
  ++counts_[IndexOf(value)];
  ++total_;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  const double v = static_cast<double>(value);
  sum_ += v;
  sum_squares_ += v * v;
}

void Histogram::Merge(const Histogram& other) {
  if (other.highest_ != highest_ || other.digits_ != digits_) {
    throw Error("cannot merge histograms with different parameters", "Histogram::Merge",
                "record both with the same highest value and significant digits");
  }
  for (size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  total_ += other.total_;
  if (other.total_) min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
}

void Histogram::Clear() {
  std::fill(counts_.begin(), counts_.end(), 0);
  total_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = sum_squares_ = 0;
}

double Histogram::mean() const { return total_ ? sum_ / static_cast<double>(total_) : 0; }

double Histogram::stdev() const {
  if (total_ < 2) return 0;
  const double m = mean();
  return std::sqrt(std::max(0.0, sum_squares_ / static_cast<double>(total_) - m * m));
}

uint64_t Histogram::Percentile(double percentile) const {
  if (total_ == 0) return 0;
  const double p = std::clamp(percentile, 0.0, 100.0);
  const uint64_t rank = std::max<uint64_t>(1, static_cast<uint64_t>(std::ceil(p / 100.0 * total_)));
  uint64_t seen = 0;
  for (size_t i = 0; i < counts_.size(); ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::clamp(HighestAt(i), min_, max_);
  }
  return max_;
}

nlohmann::json Histogram::ToJson() const {
  nlohmann::json counts = nlohmann::json::array();
  for (size_t i = 0; i < counts_.size(); ++i) {
    if (counts_[i]) counts.push_back({i, counts_[i]});
  }
  return {{"lowest_us", 1},
          {"highest_us", highest_},
          {"significant_digits", digits_},
          {"total", total_},
          {"counts", std::move(counts)}};
}

Histogram Histogram::FromJson(const nlohmann::json& doc) {
  try {
    Histogram h(doc.at("highest_us").get<uint64_t>(), doc.at("significant_digits").get<int>());
    for (const auto& pair : doc.at("counts")) {
      const size_t index = pair.at(0).get<size_t>();
      const uint64_t count = pair.at(1).get<uint64_t>();
      if (index >= h.counts_.size())
        throw Error("bucket index " + std::to_string(index) + " is beyond the histogram's range");
      if (count == 0) continue;
      h.counts_[index] += count;
      h.total_ += count;
      // Bucket midpoints stand in for the exact values, which are not serialised.
      const uint64_t lo = h.ValueAt(index), hi = h.HighestAt(index);
      const double mid = (static_cast<double>(lo) + static_cast<double>(hi)) / 2;
      h.min_ = std::min(h.min_, lo);
      h.max_ = std::max(h.max_, hi);
      h.sum_ += mid * count;
      h.sum_squares_ += mid * mid * count;
    }
    return h;
  } catch (const nlohmann::json::exception& e) {
    throw Error("malformed histogram: " + std::string(e.what()), "Histogram::FromJson",
                "pass the \"histogram\" object of a fwbench.load/1 report");
  }
}

}  // namespace fwbench::load
