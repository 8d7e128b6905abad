#include "report/comparisons.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "common/metrics.h"

namespace fwbench::report {
namespace {

constexpr const char* kSpec = "see results/SCHEMA.md, fwbench.results/2 comparisons";

stats::Estimate ParseEstimate(const JsonFields& f, const nlohmann::json& e,
                              const std::string& path) {
  stats::Estimate out;
  const double n = f.Number(e, path, "n");
  if (n < 0 || n != std::floor(n))
    f.Fail(FieldPath(path, "n"), "expected a whole number of rounds >= 0", kSpec);
  out.n = static_cast<int>(n);
  out.value = f.Number(e, path, "ratio");
  if (auto it = e.find("ci95"); it != e.end() && !it->is_null()) {
    if (!it->is_array() || it->size() != 2 || !(*it)[0].is_number() || !(*it)[1].is_number())
      f.Fail(FieldPath(path, "ci95"), "expected [low, high] numbers or null", kSpec);
    out.low = (*it)[0].get<double>();
    out.high = (*it)[1].get<double>();
    if (!(*out.low <= out.value && out.value <= *out.high))
      f.Fail(FieldPath(path, "ci95"),
             "does not contain the ratio (" + std::to_string(out.value) + ")",
             "the interval is around the ratio; " + std::string(kSpec));
  } else if (out.n >= 2) {
    f.Fail(FieldPath(path, "ci95"), "is missing or null with n = " + std::to_string(out.n),
           "an estimate over 2 or more rounds has an interval; " + std::string(kSpec));
  }
  f.OptionalNumber(e, path, "half_width_pct");  // type-checked; recomputed from ci95
  out.log_scale = out.value > 0 && (!out.low || *out.low > 0);
  const auto& per_round = f.Array(e, path, "per_round");
  for (size_t i = 0; i < per_round.size(); ++i) {
    if (!per_round[i].is_number())
      f.Fail(FieldPath(FieldPath(path, "per_round"), i), "expected a number", kSpec);
    out.per_round.push_back(per_round[i].get<double>());
  }
  if (static_cast<size_t>(out.n) != out.per_round.size())
    f.Fail(FieldPath(path, "n"),
           "is " + std::to_string(out.n) + " but per_round has " +
               std::to_string(out.per_round.size()) + " entries",
           "n must equal the number of per-round ratios");
  return out;
}

// The level part of a cell id ("closed-c32"), or the match key when the id has no '/'.
std::string IdTail(const Cell& c) {
  const size_t slash = c.id.find('/');
  return slash == std::string::npos ? "/" + c.MatchKey() : c.id.substr(slash);
}

// round -> value of one metric of a cell; empty when the summary's values do not line up with
// the repetitions (nothing to pair).
std::map<int, double> ByRound(const Cell& c, const std::string& metric) {
  std::map<int, double> out;
  const Summary* s = c.Metric(metric);
  if (!s || s->values.size() != c.rounds.size()) return out;
  for (size_t i = 0; i < c.rounds.size(); ++i) {
    const double v = s->values[i];
    if (v > 0 && std::isfinite(v)) out[c.rounds[i]] = v;
  }
  return out;
}

bool Reached(const stats::Estimate& primary, double target_pct) {
  return primary.n >= 2 && primary.HalfWidthPct() <= target_pct;
}

}  // namespace

std::vector<Comparison> ParseComparisons(const JsonFields& f, const nlohmann::json& comparisons,
                                         const std::vector<Cell>& cells) {
  std::map<std::string, const Cell*> by_id;
  for (const Cell& c : cells) by_id[c.id] = &c;
  std::vector<Comparison> out;
  std::set<std::string> ids;
  for (size_t i = 0; i < comparisons.size(); ++i) {
    const std::string path = FieldPath("comparisons", i);
    const nlohmann::json& j = comparisons[i];
    // A suite that compares servers ("axis": "server") pairs cells of one framework; the report
    // compares frameworks, so it leaves those out (bench/serve/ reads them).
    if (j.is_object() && j.value("axis", std::string("framework")) == "server") continue;
    Comparison c;
    c.id = f.String(j, path, "id");
    if (!ids.insert(c.id).second)
      f.Fail(FieldPath(path, "id"), "\"" + c.id + "\" appears twice", "comparison ids are unique");
    c.a = f.String(j, path, "a");
    c.b = f.String(j, path, "b");
    c.framework_a = f.String(j, path, "framework_a");
    c.framework_b = f.String(j, path, "framework_b");
    const Cell* cells_ab[2] = {nullptr, nullptr};
    for (int side = 0; side < 2; ++side) {
      const std::string key = side ? "b" : "a";
      const std::string& id = side ? c.b : c.a;
      auto it = by_id.find(id);
      if (it == by_id.end())
        f.Fail(FieldPath(path, key), "names cell \"" + id + "\", which is not in cells",
               "a comparison compares two cells of the same file; was the file edited or cut "
               "short? Rerun 'fwbench run' to complete it");
      cells_ab[side] = it->second;
      const std::string& fw = side ? c.framework_b : c.framework_a;
      if (it->second->framework != fw)
        f.Fail(FieldPath(path, "framework_" + key),
               "is \"" + fw + "\" but cell \"" + id + "\" is of framework \"" +
                   it->second->framework + "\"",
               kSpec);
    }
    if (cells_ab[0]->MatchKey() != cells_ab[1]->MatchKey())
      f.Fail(path,
             "compares cells of different groups or profiles (\"" + c.a + "\" and \"" + c.b + "\")",
             "a comparison pairs two frameworks with the same profile in one group");
    c.profile = f.String(j, path, "profile");
    f.String(j, path, "server");
    c.server = cells_ab[0]->server;  // the cell's label: "uwsgi+nginx" behind a proxy
    c.db = f.String(j, path, "db");
    c.route = f.String(j, path, "route");
    c.model = f.String(j, path, "model");
    c.concurrency = static_cast<int>(f.OptionalNumber(j, path, "concurrency").value_or(0));
    c.rate = f.OptionalNumber(j, path, "rate");
    c.mode = f.String(j, path, "mode");
    if (c.mode != "slices" && c.mode != "duet")
      f.Fail(FieldPath(path, "mode"), "is \"" + c.mode + "\"; expected \"slices\" or \"duet\"",
             kSpec);
    c.primary = f.String(j, path, "primary");
    const std::string mpath = FieldPath(path, "metrics");
    for (const auto& [name, e] : f.Object(j, path, "metrics").items())
      c.metrics[name] = ParseEstimate(f, e, FieldPath(mpath, name));
    if (!c.metrics.count(c.primary))
      f.Fail(FieldPath(mpath, c.primary), "missing; the primary metric needs its estimate", kSpec);
    c.target_pct = f.Number(j, path, "target_pct");
    c.reached = f.Bool(j, path, "reached");
    c.noisy = f.Bool(j, path, "noisy");
    if (c.noisy == c.reached)
      f.Fail(FieldPath(path, "noisy"),
             std::string("is ") + (c.noisy ? "true" : "false") + " and reached is " +
                 (c.reached ? "true" : "false"),
             "noisy is !reached; " + std::string(kSpec));
    const double rounds = f.Number(j, path, "rounds");
    if (rounds < 0 || rounds != std::floor(rounds))
      f.Fail(FieldPath(path, "rounds"), "expected a whole number >= 0", kSpec);
    c.rounds = static_cast<int>(rounds);
    c.starved = j.value("starved", false) == true || cells_ab[0]->starved || cells_ab[1]->starved;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Comparison> DeriveComparisons(const std::vector<Cell>& cells,
                                          const std::vector<std::string>& framework_order) {
  auto rank = [&](const std::string& fw) {
    return std::find(framework_order.begin(), framework_order.end(), fw) - framework_order.begin();
  };
  std::vector<Comparison> out;
  for (const Cell& a : cells) {
    if (!a.ok()) continue;
    for (const Cell& b : cells) {
      if (!b.ok() || rank(a.framework) >= rank(b.framework) || a.MatchKey() != b.MatchKey())
        continue;
      Comparison c{.id = a.framework + "~" + b.framework + IdTail(a),
                   .a = a.id,
                   .b = b.id,
                   .framework_a = a.framework,
                   .framework_b = b.framework,
                   .profile = a.profile,
                   .server = a.server,
                   .db = a.db,
                   .route = a.route,
                   .model = a.model,
                   .concurrency = a.concurrency,
                   .rate = a.rate,
                   .mode = "sequential",
                   .primary = kDerivedPrimary,
                   .target_pct = kDerivedTargetPct,
                   .derived = true,
                   .starved = a.starved || b.starved};
      for (const metrics::Metric& m : metrics::All()) {
        if (!m.comparison) continue;
        const std::string metric(m.name);
        const std::map<int, double> va = ByRound(a, metric), vb = ByRound(b, metric);
        std::vector<double> ratios;
        for (const auto& [round, x] : va) {
          if (auto it = vb.find(round); it != vb.end()) ratios.push_back(x / it->second);
        }
        if (!ratios.empty()) c.metrics[metric] = stats::AcrossRounds(ratios);
      }
      const stats::Estimate* primary = c.Metric(c.primary);
      if (!primary) continue;  // no common round: nothing to compare
      c.rounds = primary->n;
      c.reached = Reached(*primary, c.target_pct);
      c.noisy = !c.reached;
      out.push_back(std::move(c));
    }
  }
  return out;
}

std::optional<double> PrimaryHalfWidthPct(const Comparison& c) {
  const stats::Estimate* e = c.Metric(c.primary);
  if (!e) return std::nullopt;
  const double h = e->HalfWidthPct();
  return std::isfinite(h) ? std::optional<double>(h) : std::nullopt;
}

}  // namespace fwbench::report
