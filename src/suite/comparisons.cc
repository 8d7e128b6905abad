#include "suite/comparisons.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "common/metrics.h"
#include "common/paired_stats.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;

// round -> value of the metric, for rounds where it is a positive number.
std::map<int, double> ByRound(const json& cell, const metrics::Metric& metric) {
  std::map<int, double> out;
  for (const auto& rep : cell.value("repetitions", json::array())) {
    const std::optional<double> v = metrics::ValueIn(rep, metric);
    if (v && *v > 0) out[rep.value("round", 0)] = *v;
  }
  return out;
}

json Compare(const json& a, const json& b, const Paired& paired, const std::string& axis) {
  // At a fixed rate both apps serve the same req/s: the cost of serving it is the comparison.
  const bool cpu = paired.mode == "duet" || a.value("model", "") == "open";
  const std::string primary = cpu ? "cpu_us_per_request" : "rps";
  json c = {{"id", AxisValue(a, axis) + "~" + AxisValue(b, axis) + "/" +
                       a["profile"].get<std::string>() + "/" + GroupOf(a)},
            {"a", a["id"]},
            {"b", b["id"]},
            {"framework_a", a["framework"]},
            {"framework_b", b["framework"]}};
  if (axis == "servers") {
    c["axis"] = "server";
    c["server_a"] = AxisValue(a, axis);
    c["server_b"] = AxisValue(b, axis);
  }
  for (const char* key :
       {"profile", "server", "proxy", "db", "route", "model", "concurrency", "rate"})
    c[key] = a.value(key, json());
  c["mode"] = paired.mode;
  c["primary"] = primary;
  json estimates = json::object();  // metric -> Estimate of a/b
  int rounds = 0;
  for (const metrics::Metric& metric : metrics::All()) {
    if (!metric.comparison) continue;
    const std::string name(metric.name);
    const auto va = ByRound(a, metric), vb = ByRound(b, metric);
    std::vector<double> ratios;
    for (const auto& [round, x] : va)
      if (auto it = vb.find(round); it != vb.end()) ratios.push_back(x / it->second);
    if (ratios.empty()) continue;
    estimates[name] = stats::ToJson(stats::AcrossRounds(ratios), "ratio");
    if (name == primary) rounds = static_cast<int>(ratios.size());
  }
  if (!estimates.contains(primary)) return nullptr;
  const json& half = estimates[primary]["half_width_pct"];
  const bool reached = half.is_number() && half.get<double>() <= paired.target_pct;
  c["metrics"] = std::move(estimates);
  c["target_pct"] = paired.target_pct;
  c["reached"] = reached;
  c["noisy"] = !reached;
  c["rounds"] = rounds;
  // A connection of either cell completed nothing in some round (results.h Summarize).
  c["starved"] = a.value("starved", false) || b.value("starved", false);
  return c;
}

}  // namespace

std::string GroupOf(const json& cell) { return cell.value("group", ""); }

std::string AxisValue(const json& cell, const std::string& axis) {
  if (axis != "servers") return cell.value("framework", "");
  const std::string proxy = cell.value("proxy", "none");
  return cell.value("server", "") + (proxy == "none" ? "" : "+" + proxy);
}

json BuildComparisons(const json& cells, const std::vector<std::string>& order,
                      const Paired& paired, const std::string& axis) {
  // (profile, group) -> axis value -> cell
  std::map<std::pair<std::string, std::string>, std::map<std::string, const json*>> groups;
  for (const auto& cell : cells)
    groups[{cell.value("profile", ""), GroupOf(cell)}][AxisValue(cell, axis)] = &cell;
  json out = json::array();
  for (const auto& [key, by_value] : groups)
    for (size_t i = 0; i < order.size(); ++i)
      for (size_t j = i + 1; j < order.size(); ++j) {
        auto a = by_value.find(order[i]), b = by_value.find(order[j]);
        if (a == by_value.end() || b == by_value.end()) continue;
        json c = Compare(*a->second, *b->second, paired, axis);
        if (!c.is_null()) out.push_back(std::move(c));
      }
  return out;
}

std::map<std::string, double> CellsShortOfTarget(const json& comparisons) {
  std::map<std::string, double> cells;
  for (const auto& c : comparisons) {
    if (c.value("reached", false)) continue;
    const json* half = nullptr;
    if (c.contains("metrics") && c["metrics"].contains(c.value("primary", "")))
      half = &c["metrics"][c.value("primary", "")]["half_width_pct"];
    const double width = half && half->is_number() ? half->get<double>() : INFINITY;
    for (const char* side : {"a", "b"}) {
      auto [it, added] = cells.emplace(c[side].get<std::string>(), width);
      if (!added) it->second = std::max(it->second, width);
    }
  }
  return cells;
}

}  // namespace fwbench::suite
