#include "report/results.h"

#include <algorithm>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/metrics.h"
#include "report/comparisons.h"
#include "report/json_fields.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

constexpr const char* kSchemaV1 = "fwbench.results/1";
constexpr const char* kSchemaV2 = "fwbench.results/2";
// v1: {"n", "median", "ci95": [lo, hi], "cv", "noisy", "values"}; v2: {"n", "estimate",
// "ci95": [lo, hi] | null, "half_width_pct": x | null, "median", "cv", "values"}.
Summary ParseSummary(const JsonFields& f, const nlohmann::json& s, const std::string& path,
                     int version) {
  const char* spec = version == 1 ? "see results/SCHEMA.md Summary (fwbench.results/1)"
                                  : "see results/SCHEMA.md Summary (fwbench.results/2)";
  Summary out;
  out.n = static_cast<int>(f.Number(s, path, "n"));
  out.estimate = f.Number(s, path, version == 1 ? "median" : "estimate");
  out.ci_low = out.ci_high = out.estimate;
  if (auto it = s.find("ci95"); version == 1 || (it != s.end() && !it->is_null())) {
    const auto& ci = f.Array(s, path, "ci95");
    if (ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number())
      f.Fail(FieldPath(path, "ci95"), "expected [low, high] numbers", spec);
    out.ci_low = ci[0].get<double>();
    out.ci_high = ci[1].get<double>();
  }
  if (version >= 2) out.half_width_pct = f.OptionalNumber(s, path, "half_width_pct");
  out.cv = f.OptionalNumber(s, path, "cv").value_or(0);
  const auto& values = f.Array(s, path, "values");
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_number())
      f.Fail(FieldPath(FieldPath(path, "values"), i), "expected a number", spec);
    out.values.push_back(values[i].get<double>());
  }
  if (static_cast<size_t>(out.n) != out.values.size()) {
    f.Fail(FieldPath(path, "n"),
           "is " + std::to_string(out.n) + " but values has " + std::to_string(out.values.size()) +
               " entries",
           "n must equal the number of values");
  }
  return out;
}

// The round of each repetition: its `round` field, or its 1-based position in a v1 file
// written before repetitions had one. v2 requires the field.
std::vector<int> ParseRounds(const JsonFields& f, const nlohmann::json& repetitions,
                             const std::string& path, int version) {
  std::vector<int> rounds;
  std::set<int> seen;
  for (size_t i = 0; i < repetitions.size(); ++i) {
    const std::string rpath = FieldPath(path, i);
    int round = static_cast<int>(i) + 1;
    if (version >= 2 || (repetitions[i].is_object() && repetitions[i].contains("round"))) {
      const double r = f.Number(repetitions[i], rpath, "round");
      if (r < 1 || r != static_cast<int>(r))
        f.Fail(FieldPath(rpath, "round"), "expected a whole number >= 1",
               "see results/SCHEMA.md Repetition");
      round = static_cast<int>(r);
    }
    if (!seen.insert(round).second)
      f.Fail(FieldPath(rpath, "round"), "round " + std::to_string(round) + " appears twice",
             "a cell has one repetition per round");
    rounds.push_back(round);
  }
  return rounds;
}

// Median over repetitions of each corrected-latency percentile of the whole run.
std::vector<std::pair<double, double>> ParseSpectrum(const nlohmann::json& repetitions) {
  static const std::pair<const char*, double> kPercentiles[] = {
      {"p50_us", 50}, {"p90_us", 90}, {"p99_us", 99}, {"p999_us", 99.9}, {"p9999_us", 99.99}};
  std::vector<std::pair<double, double>> out;
  for (const auto& [key, pct] : kPercentiles) {
    std::vector<double> values;
    for (const auto& rep : repetitions) {
      const auto* v = &rep;
      for (const char* k : {"load", "overall", "latency", "corrected", key}) {
        if (!v->is_object() || !v->contains(k)) {
          v = nullptr;
          break;
        }
        v = &(*v)[k];
      }
      if (v && v->is_number()) values.push_back(v->get<double>());
    }
    if (!values.empty()) out.emplace_back(pct, Median(values));
  }
  return out;
}

// Open model: answered / due over all repetitions (Cell::served_fraction); empty when no
// repetition's load.overall counts `unfinished`, or nothing fell due.
std::optional<double> ParseServedFraction(const nlohmann::json& repetitions) {
  double answered = 0, due = 0;
  bool counted = false;
  for (const auto& rep : repetitions) {
    if (!rep.is_object() || !rep.contains("load")) continue;
    const auto& load = rep["load"];
    if (!load.is_object() || !load.contains("overall")) continue;
    const auto& o = load["overall"];
    if (!o.is_object() || !o.contains("unfinished") || !o.contains("requests")) continue;
    double errors = 0;
    if (auto e = o.find("errors"); e != o.end() && e->is_object())
      for (const auto& [kind, n] : e->items())
        if (n.is_number()) errors += n.get<double>();
    if (!o["requests"].is_number() || !o["unfinished"].is_number()) continue;
    answered += o["requests"].get<double>();
    due += o["requests"].get<double>() + errors + o["unfinished"].get<double>();
    counted = true;
  }
  if (!counted || due <= 0) return std::nullopt;
  return answered / due;
}

Cell ParseCell(const JsonFields& f, const nlohmann::json& c, const std::string& path, int version) {
  Cell cell;
  cell.file = f.file();
  cell.id = f.String(c, path, "id");
  cell.framework = f.String(c, path, "framework");
  cell.profile = f.String(c, path, "profile");
  cell.server = f.String(c, path, "server");
  // Behind a proxy the server is labelled "uwsgi+nginx" everywhere (a missing proxy: "none").
  const std::string proxy = f.OptionalString(c, path, "proxy").value_or("none");
  if (proxy != "none") cell.server += "+" + proxy;
  cell.db = f.OptionalString(c, path, "db").value_or("none");
  cell.route = f.String(c, path, "route");
  cell.model = f.String(c, path, "model");
  if (cell.model != "closed" && cell.model != "open") {
    f.Fail(FieldPath(path, "model"), "is \"" + cell.model + "\"; expected \"closed\" or \"open\"",
           "see results/SCHEMA.md Cell");
  }
  cell.concurrency = static_cast<int>(f.OptionalNumber(c, path, "concurrency").value_or(0));
  cell.rate = f.OptionalNumber(c, path, "rate");
  if (cell.model == "open" && !cell.rate)
    f.Fail(FieldPath(path, "rate"), "missing for an open-model cell",
           "an open-model cell needs its request rate");
  cell.status = f.String(c, path, "status");
  if (cell.status != "ok" && cell.status != "failed" && cell.status != "excluded" &&
      cell.status != "incomplete") {
    f.Fail(FieldPath(path, "status"),
           "is \"" + cell.status + "\"; expected ok, failed, excluded or incomplete",
           "see results/SCHEMA.md Cell");
  }

  cell.reason = f.OptionalString(c, path, "reason").value_or("");
  cell.group = f.OptionalString(c, path, "group").value_or("");
  if (auto v = c.find("verify"); v != c.end() && v->is_object()) {
    cell.verify_passed = v->value("passed", false);
    cell.verify_checks = v->value("checks", 0);
  }
  cell.cold_start_ms = f.OptionalNumber(c, path, "cold_start_ms");
  cell.cold_compile_ms = f.OptionalNumber(c, path, "cold_compile_ms");
  if (!cell.ok()) return cell;  // failed cells may lack measurements
  cell.starved = c.value("starved", false) == true;
  if (auto conn = c.find("connections"); conn != c.end() && conn->is_object()) {
    const std::string cpath = FieldPath(path, "connections");
    cell.starved_connections = static_cast<int>(f.Number(*conn, cpath, "starved"));
    cell.connections = static_cast<int>(f.Number(*conn, cpath, "count"));
    if (cell.starved != (cell.starved_connections > 0))
      f.Fail(FieldPath(path, "starved"),
             std::string("is ") + (cell.starved ? "true" : "false") +
                 " but connections.starved is " + std::to_string(cell.starved_connections),
             "a cell is starved when a connection completed nothing (results/SCHEMA.md)");
  }
  const std::string spath = FieldPath(path, "summary");
  const auto& summary = f.Object(c, path, "summary");
  for (const metrics::Metric& m : metrics::All()) {
    const std::string metric(m.name);
    if (!summary.contains(metric) || summary[metric].is_null()) continue;
    Summary parsed = ParseSummary(f, summary[metric], FieldPath(spath, metric), version);
    if (parsed.n > 0) cell.summary[metric] = std::move(parsed);  // n = 0: nothing measured
  }
  if (!cell.cold_start_ms && cell.summary.count("cold_start_ms")) {
    cell.cold_start_ms = cell.summary["cold_start_ms"].estimate;
  }

  if (!cell.summary.count("rps"))
    f.Fail(FieldPath(spath, "rps"), "missing; expected a Summary",
           "an ok cell needs its throughput summary");
  const auto& repetitions = f.Array(c, path, "repetitions");
  cell.rounds = ParseRounds(f, repetitions, FieldPath(path, "repetitions"), version);
  cell.spectrum = ParseSpectrum(repetitions);
  if (cell.model == "open") cell.served_fraction = ParseServedFraction(repetitions);
  return cell;
}

Machine ParseMachine(const JsonFields& f, const nlohmann::json& meta) {
  Machine m;
  m.cpu_model = f.String(meta, "meta", "cpu_model");
  m.cores = static_cast<int>(f.Number(meta, "meta", "cores"));
  m.kernel = f.OptionalString(meta, "meta", "kernel").value_or("unknown");
  m.python = f.OptionalString(meta, "meta", "python").value_or("unknown");
  for (const auto& [name, version] : f.Object(meta, "meta", "versions").items()) {
    if (!version.is_string())
      f.Fail("meta.versions." + name, "expected a version string", "see results/SCHEMA.md");
    m.versions[name] = version.get<std::string>();
  }
  if (auto it = meta.find("fwbench"); it != meta.end() && it->is_object()) {
    m.fwbench_version = it->value("version", "");
    m.fwbench_commit = it->value("commit", "");
  }
  m.fixture = meta.value("fixture", false);
  return m;
}

}  // namespace

const Summary* Cell::Metric(const std::string& name) const {
  auto it = summary.find(name);
  return it == summary.end() ? nullptr : &it->second;
}

bool Cell::Saturated() const {
  if (model != "open" || !rate) return false;
  if (served_fraction) return *served_fraction < 0.95;
  const Summary* rps = Metric("rps");
  return !rps || rps->estimate < 0.95 * *rate;
}

const stats::Estimate* Comparison::Metric(const std::string& name) const {
  auto it = metrics.find(name);
  return it == metrics.end() ? nullptr : &it->second;
}

const Comparison* ResultsSet::FindComparison(const std::string& a_id,
                                             const std::string& b_id) const {
  for (const Comparison& c : comparisons) {
    if (c.a == a_id && c.b == b_id) return &c;
  }
  return nullptr;
}

std::string Cell::MatchKey() const {
  std::string key = profile + "/" + server + "/" + db + "/" + route + "/" + model + "/c" +
                    std::to_string(concurrency);
  if (rate) key += "/r" + std::to_string(static_cast<long long>(*rate));
  return key;
}

ResultsSet ParseResults(const nlohmann::json& doc, const std::string& file) {
  JsonFields f(file);
  if (!doc.is_object())
    f.Fail("(root)", "expected an object", "a results file is written by 'fwbench run'");
  const std::string schema = f.String(doc, "", "schema");
  if (schema != kSchemaV1 && schema != kSchemaV2) {
    f.Fail("schema",
           "is \"" + schema + "\"; expected \"" + kSchemaV2 + "\" or \"" + kSchemaV1 + "\"",
           schema.rfind("fwbench.results/", 0) == 0
               ? "this fwbench reads fwbench.results/1 and /2; use the fwbench that wrote it"
           : schema.rfind("fwbench.", 0) == 0
               ? "pass a results file from 'fwbench run', not this document"
               : "this is not an fwbench results file");
  }
  ResultsSet set;
  set.schema_version = schema == kSchemaV1 ? 1 : 2;
  set.files.push_back(file);
  const auto& meta = f.Object(doc, "", "meta");
  set.machine = ParseMachine(f, meta);
  const auto& cells = f.Array(doc, "", "cells");
  std::set<std::string> ids;
  for (size_t i = 0; i < cells.size(); ++i) {
    Cell cell = ParseCell(f, cells[i], FieldPath("cells", i), set.schema_version);
    if (!ids.insert(cell.id).second)
      f.Fail(FieldPath(FieldPath("cells", i), "id"), "\"" + cell.id + "\" appears twice",
             "cell ids must be unique");
    if (std::find(set.frameworks.begin(), set.frameworks.end(), cell.framework) ==
        set.frameworks.end()) {
      set.frameworks.push_back(cell.framework);
    }
    set.cells.push_back(std::move(cell));
  }
  if (set.cells.empty())
    f.Fail("cells", "is empty", "the run measured nothing; rerun 'fwbench run'");
  if (set.schema_version >= 2) {
    set.comparisons = ParseComparisons(f, f.Array(doc, "", "comparisons"), set.cells);
  } else {
    // Pairs in the suite's framework order (a before b), as the v2 runner forms them.
    std::vector<std::string> order;
    if (auto suite = meta.find("suite"); suite != meta.end() && suite->is_object()) {
      if (auto fws = suite->find("frameworks"); fws != suite->end() && fws->is_array()) {
        for (const auto& fw : *fws)
          if (fw.is_string()) order.push_back(fw.get<std::string>());
      }
    }
    for (const std::string& fw : set.frameworks)
      if (std::find(order.begin(), order.end(), fw) == order.end()) order.push_back(fw);
    set.comparisons = DeriveComparisons(set.cells, order);
  }
  return set;
}

ResultsSet LoadResultsFile(const std::filesystem::path& path) {
  return ParseResults(ReadJsonFile(path), path.string());
}

ResultsSet MergeResults(const std::vector<ResultsSet>& sets) {
  if (sets.empty())
    throw Error("no results files given", "fwbench report", "pass at least one RESULTS.json");
  ResultsSet out = sets.front();
  std::map<std::string, std::string> id_file;
  for (const auto& c : out.cells) id_file[c.id] = c.file;
  for (size_t i = 1; i < sets.size(); ++i) {
    const ResultsSet& s = sets[i];
    const std::string& a = out.files.front();
    const std::string& b = s.files.front();
    if (s.schema_version != out.schema_version) {
      throw Error("results formats differ: fwbench.results/" + std::to_string(s.schema_version) +
                      " vs fwbench.results/" + std::to_string(out.schema_version) + " in " + a,
                  b,
                  "report files of one format together (their estimates differ: the median "
                  "in /1, the geometric mean over rounds in /2); 'fwbench compare' reads both");
    }
    if (s.machine.cpu_model != out.machine.cpu_model || s.machine.cores != out.machine.cores) {
      throw Error("results come from different machines: meta.cpu_model/cores \"" +
                      s.machine.cpu_model + "\" (" + std::to_string(s.machine.cores) +
                      " cores) vs \"" + out.machine.cpu_model + "\" (" +
                      std::to_string(out.machine.cores) + " cores) in " + a,
                  b, "report one machine at a time; use 'fwbench compare' across machines");
    }
    for (const auto& [name, version] : s.machine.versions) {
      auto it = out.machine.versions.find(name);
      if (it != out.machine.versions.end() && it->second != version) {
        throw Error(
            "field 'meta.versions." + name + "' is " + version + " but " + it->second + " in " + a,
            b, "report results measured with the same versions together");
      }
      out.machine.versions[name] = version;
    }
    for (const auto& c : s.cells) {
      if (auto [it, fresh] = id_file.emplace(c.id, c.file); !fresh) {
        throw Error("cell \"" + c.id + "\" is in both " + it->second + " and " + c.file, b,
                    "pass each cell once");
      }
      out.cells.push_back(c);
      if (std::find(out.frameworks.begin(), out.frameworks.end(), c.framework) ==
          out.frameworks.end())
        out.frameworks.push_back(c.framework);
    }
    out.comparisons.insert(out.comparisons.end(), s.comparisons.begin(), s.comparisons.end());
    out.files.push_back(b);
    out.machine.fixture = out.machine.fixture || s.machine.fixture;
  }
  return out;
}

std::string DescribeMachine(const Machine& m) {
  std::string text = m.cpu_model + ", " + std::to_string(m.cores) + " cores, Linux " + m.kernel +
                     "; Python " + m.python + ";";
  bool first = true;
  for (const auto& [name, version] : m.versions) {
    text += (first ? " " : ", ") + name + " " + version;
    first = false;
  }
  if (!m.fwbench_version.empty())
    text += "; fwbench " + m.fwbench_version + " (" + m.fwbench_commit + ")";
  if (m.fixture) text += "; FIXTURE DATA, not a measurement";
  return text;
}

}  // namespace fwbench::report
