#include "report/compare.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "common/error.h"
#include "common/metrics.h"
#include "common/paired_stats.h"
#include "report/format.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

std::string Pad(const std::string& s, size_t width, bool right = false) {
  // width in bytes: ids and numbers are ASCII
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

std::vector<double> Positive(const std::vector<double>& values) {
  std::vector<double> out;
  for (double v : values)
    if (v > 0 && std::isfinite(v)) out.push_back(v);
  return out;
}

}  // namespace

CompareOutcome Compare(const ResultsSet& a, const ResultsSet& b, const CompareOptions& o) {
  CompareOutcome out{.metric = o.metric,
                     .higher_is_better = metrics::Get(o.metric, "--metric").higher_is_better()};
  std::map<std::string, const Cell*> b_cells;
  for (const Cell& c : b.cells) b_cells[c.id] = &c;
  std::vector<double> ratios;
  for (const Cell& ca : a.cells) {
    auto it = b_cells.find(ca.id);
    if (it == b_cells.end()) {
      out.only_in_a.push_back(ca.id);
      continue;
    }
    const Cell& cb = *it->second;
    b_cells.erase(it);
    if (!ca.ok() || !cb.ok()) continue;
    const Summary* sa = ca.Metric(o.metric);
    const Summary* sb = cb.Metric(o.metric);
    const std::vector<double> va = sa ? Positive(sa->values) : std::vector<double>{};
    const std::vector<double> vb = sb ? Positive(sb->values) : std::vector<double>{};
    if (va.empty() || vb.empty()) {
      out.no_values.push_back(ca.id);
      continue;
    }
    const stats::Estimate e = stats::RatioOfIndependent(vb, va, 1 - o.alpha);
    CompareRow row{.id = ca.id,
                   .a = GeometricMean(va),
                   .b = GeometricMean(vb),
                   .ratio = e.value,
                   .low = e.low,
                   .high = e.high,
                   .n_a = static_cast<int>(va.size()),
                   .n_b = static_cast<int>(vb.size())};
    const MannWhitney u = MannWhitneyU(va, vb);
    row.p_value = u.p_value;
    row.exact = u.exact;
    // The bound nearest to "no change" must be beyond the threshold; without an interval, the
    // ratio itself.
    const double lo = row.low.value_or(row.ratio), hi = row.high.value_or(row.ratio);
    const bool worse = out.higher_is_better ? hi < 1 - o.threshold : lo > 1 + o.threshold;
    const bool better = out.higher_is_better ? lo > 1 + o.threshold : hi < 1 - o.threshold;
    row.regressed = worse;
    row.improved = better;
    out.regressions += row.regressed;
    ratios.push_back(row.ratio);
    out.rows.push_back(row);
  }
  for (const Cell& c : b.cells) {
    if (b_cells.count(c.id)) out.only_in_b.push_back(c.id);
  }
  if (out.rows.empty()) {
    throw Error("no cell with metric '" + o.metric + "' is in both files (" +
                    std::to_string(a.cells.size()) + " and " + std::to_string(b.cells.size()) +
                    " cells, matched by id)",
                a.files.front() + " vs " + b.files.front(), "compare results of the same suite");
  }
  out.geomean_ratio = GeometricMean(ratios);
  return out;
}

std::string RenderCompare(const CompareOutcome& out, const CompareOptions& o) {
  size_t width = 4;
  for (const auto& r : out.rows) width = std::max(width, r.id.size());
  const std::string confidence = Sig(100 * (1 - o.alpha)) + "%";
  std::string text =
      "metric: " + out.metric + " (" + (out.higher_is_better ? "higher" : "lower") +
      " is better); A and B: geometric means over rounds; B/A with its " + confidence +
      " interval (Welch t on the logs of the per-round values); a regression is an interval "
      "entirely beyond " +
      Fixed(o.threshold * 100, 1) +
      "% on the bad side; p: Mann-Whitney U two-sided (exact when no ties and a sample has <= 8 "
      "values, else normal approximation with tie and continuity correction), for information\n\n";
  const size_t ci_width = 17;
  text += Pad("cell", width) + "  " + Pad("A", 12, true) + "  " + Pad("B", 12, true) + "  " +
          Pad("B/A", 7, true) + "  " + Pad(confidence + " interval", ci_width) + "  " +
          Pad("p", 7, true) + "  verdict\n";
  for (const auto& r : out.rows) {
    std::string verdict = r.regressed ? "REGRESSED" : r.improved ? "improved" : "same";
    if (!r.low)
      verdict += " (no interval: n=" + std::to_string(r.n_a) + "/" + std::to_string(r.n_b) +
                 ", ratio only)";
    const std::string ci =
        r.low && r.high ? "[" + Fixed(*r.low, 3) + ", " + Fixed(*r.high, 3) + "]" : "n/a";
    text += Pad(r.id, width) + "  " + Pad(Sig(r.a, 4), 12, true) + "  " +
            Pad(Sig(r.b, 4), 12, true) + "  " + Pad(Fixed(r.ratio, 3), 7, true) + "  " +
            Pad(ci, ci_width) + "  " + Pad(Fixed(r.p_value, 4), 7, true) + "  " + verdict + "\n";
  }
  text += Pad("geomean", width) + "  " + Pad("", 12) + "  " + Pad("", 12) + "  " +
          Pad(Fixed(out.geomean_ratio, 3), 7, true) + "\n";
  if (!out.only_in_a.empty())
    text += std::to_string(out.only_in_a.size()) + " cell(s) only in A, not compared\n";
  if (!out.only_in_b.empty())
    text += std::to_string(out.only_in_b.size()) + " cell(s) only in B, not compared\n";
  if (!out.no_values.empty())
    text += std::to_string(out.no_values.size()) + " cell(s) without a positive " + out.metric +
            " value on one side, not compared\n";
  text += std::to_string(out.regressions) + " regression(s) of " + std::to_string(out.rows.size()) +
          " cells\n";
  return text;
}

}  // namespace fwbench::report
