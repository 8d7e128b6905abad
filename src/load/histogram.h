#pragma once
// Histogram: log-linear (HDR-style) counts of integer values, by default 1 µs .. 60 s with
// 3 significant digits. Recording is O(1) and allocation-free; histograms with the same
// parameters merge exactly. Values above `highest` are clamped to it.
//
// Buckets (the serialised "counts" use these indices): with d significant digits,
// S = 2^ceil(log2(2*10^d)) sub-buckets (2048 for d = 3), H = S/2, h = log2(H).
//   index(v) = (b + 1) * H + (v >> b) - H, where b = max(0, floor(log2(v)) - h), lowest = 1
//   value(i) = s << b with b = i / H - 1, s = i % H + H; for i < H (b < 0): value = i
//   Each bucket covers [value(i), value(i) + 2^max(0,b) - 1]: relative width < 1 / H.
// Percentiles return the highest value of the bucket holding that rank, capped at max().
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace fwbench::load {

class Histogram {
 public:
  explicit Histogram(uint64_t highest = 60'000'000, int significant_digits = 3);

  void Record(uint64_t value);
  // Adds `other`'s counts. Throws fwbench::Error when its parameters differ.
  void Merge(const Histogram& other);
  void Clear();

  uint64_t count() const { return total_; }
  uint64_t min() const { return total_ ? min_ : 0; }
  uint64_t max() const { return max_; }
  double mean() const;
  double stdev() const;
  // The value at or below which `percentile` % (0..100) of the values fall; 0 when empty.
  uint64_t Percentile(double percentile) const;

  // {"lowest_us", "highest_us", "significant_digits", "total", "counts": [[index, count]...]}
  nlohmann::json ToJson() const;
  // Inverse of ToJson(); throws fwbench::Error on malformed input.
  static Histogram FromJson(const nlohmann::json& doc);

  size_t IndexOf(uint64_t value) const;
  uint64_t ValueAt(size_t index) const;    // lowest value of the bucket
  uint64_t HighestAt(size_t index) const;  // highest value of the bucket

 private:
  uint64_t highest_;
  int digits_;
  int half_magnitude_;   // h
  uint64_t half_count_;  // H
  std::vector<uint64_t> counts_;
  uint64_t total_ = 0, min_ = UINT64_MAX, max_ = 0;
  double sum_ = 0, sum_squares_ = 0;
};

}  // namespace fwbench::load
