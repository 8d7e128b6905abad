#include "common/metrics.h"

#include <array>

#include "common/error.h"

namespace fwbench::metrics {
namespace {

constexpr double kMib = 1.0 / (1024 * 1024);

// The registry. Column order in the report is this order.
constexpr std::array kMetrics = {
    Metric{.name = "rps",
           .pointer = "/load/overall/rps",
           .unit = "req/s",
           .better = Better::kHigher,
           .comparison = true,
           .description = "requests per second",
           .display = {.header = "req/s [95% CI]",
                       .ratio_header = "req/s",
                       .cell = TableCell::kPeak,
                       .ratio = RatioColumn::kInterval,
                       .unit = "req/s",
                       .digits = 4,
                       .interval = true}},
    Metric{.name = "p50_us",
           .pointer = "/load/overall/latency/corrected/p50_us",
           .unit = "us",
           .better = Better::kLower,
           .comparison = true,
           .description = "median latency (coordinated-omission corrected)",
           .display = {.header = "p50 µs",
                       .ratio_header = "p50",
                       .cell = TableCell::kLatency,
                       .ratio = RatioColumn::kInterval,
                       .unit = "µs"}},
    Metric{.name = "p99_us",
           .pointer = "/load/overall/latency/corrected/p99_us",
           .unit = "us",
           .better = Better::kLower,
           .comparison = true,
           .description = "99th percentile latency (corrected)",
           .display = {.header = "p99 µs",
                       .ratio_header = "p99",
                       .cell = TableCell::kLatency,
                       .ratio = RatioColumn::kInterval,
                       .unit = "µs",
                       .interval = true}},
    Metric{.name = "p999_us",
           .pointer = "/load/overall/latency/corrected/p999_us",
           .unit = "us",
           .better = Better::kLower,
           .description = "99.9th percentile latency (corrected)",
           .display = {.header = "p99.9 µs",
                       .ratio_header = "",
                       .cell = TableCell::kLatency,
                       .unit = "µs"}},
    Metric{.name = "cpu_us_per_request",
           .pointer = "/server/cpu_us_per_request",
           .unit = "us",
           .better = Better::kLower,
           .comparison = true,
           .description = "server process-tree CPU per request",
           .display = {.header = "CPU µs/req",
                       .ratio_header = "CPU/req",
                       .cell = TableCell::kPeak,
                       .ratio = RatioColumn::kInterval,
                       .unit = "µs",
                       .interval = true}},
    Metric{.name = "rss_peak_bytes_per_worker",
           .pointer = "/server/rss_peak_bytes_per_worker",
           .unit = "bytes",
           .better = Better::kLower,
           .comparison = true,
           .description = "peak resident memory per server worker",
           .display = {.header = "RSS MiB/worker",
                       .ratio_header = "RSS/worker",
                       .cell = TableCell::kPeak,
                       .ratio = RatioColumn::kOfEstimates,
                       .scale = kMib,
                       .unit = "MiB"}},
    Metric{.name = "cold_start_ms",
           .pointer = "/server/cold_start_ms",
           .unit = "ms",
           .better = Better::kLower,
           .description = "server launch until the first 200",
           .display = {.header = "cold start ms",
                       .ratio_header = "cold start",
                       .cell = TableCell::kPeak,
                       .ratio = RatioColumn::kOfEstimates,
                       .unit = "ms"}},
    // Not a column: the report names a cell with errors next to its req/s (report/tables.h).
    Metric{.name = "error_ratio",
           .pointer = "/error_ratio",
           .unit = "ratio",
           .better = Better::kLower,
           .description = "(socket errors + 4xx + 5xx) / (responses + socket errors)",
           .display = {}},
    Metric{.name = "connects_per_request",
           .pointer = "/load/overall/connects_per_request",
           .unit = "connects/request",
           .better = Better::kLower,
           .description = "TCP connections opened per response, reconnects included",
           .display = {.header = "connects/req",
                       .ratio_header = "",
                       .cell = TableCell::kPeak,
                       .unit = "connects/request",
                       .always = false}},
};

}  // namespace

std::span<const Metric> All() { return kMetrics; }

const Metric* Find(std::string_view name) {
  for (const Metric& m : kMetrics)
    if (m.name == name) return &m;
  return nullptr;
}

std::string Names() {
  std::string text;
  for (const Metric& m : kMetrics) text += (text.empty() ? "" : ", ") + std::string(m.name);
  return text;
}

const Metric& Get(std::string_view name, const std::string& where) {
  if (const Metric* m = Find(name)) return *m;
  throw Error("unknown metric '" + std::string(name) + "'", where,
              "use one of " + Names() + " (src/common/metrics.cc)");
}

std::optional<double> ValueIn(const nlohmann::json& repetition, const Metric& metric) {
  const nlohmann::json::json_pointer pointer{std::string(metric.pointer)};
  if (!repetition.is_object() || !repetition.contains(pointer)) return std::nullopt;
  const nlohmann::json& value = repetition.at(pointer);
  if (!value.is_number()) return std::nullopt;
  return value.get<double>();
}

}  // namespace fwbench::metrics
