#include "report/results.h"

#include <algorithm>
#include <set>

#include "common/atomic_file.h"
#include "common/error.h"
#include "report/json_fields.h"
#include "report/stats.h"

namespace fwbench::report {
namespace {

constexpr const char* kSchema = "fwbench.results/1";
const char* const kSummaryMetrics[] = {"rps",
                                       "p50_us",
                                       "p99_us",
                                       "p999_us",
                                       "cpu_us_per_request",
                                       "rss_peak_bytes_per_worker",
                                       "cold_start_ms"};

Summary ParseSummary(const JsonFields& f, const nlohmann::json& s, const std::string& path) {
  Summary out;
  out.n = static_cast<int>(f.Number(s, path, "n"));
  out.median = f.Number(s, path, "median");
  const auto& ci = f.Array(s, path, "ci95");
  if (ci.size() != 2 || !ci[0].is_number() || !ci[1].is_number()) {
    f.Fail(FieldPath(path, "ci95"), "expected [low, high] numbers",
           "see results/SCHEMA.md Summary");
  }
  out.ci_low = ci[0].get<double>();
  out.ci_high = ci[1].get<double>();
  out.cv = f.OptionalNumber(s, path, "cv").value_or(0);
  if (auto it = s.find("noisy"); it != s.end() && it->is_boolean()) out.noisy = it->get<bool>();
  const auto& values = f.Array(s, path, "values");
  for (size_t i = 0; i < values.size(); ++i) {
    if (!values[i].is_number())
      f.Fail(FieldPath(FieldPath(path, "values"), i), "expected a number",
             "see results/SCHEMA.md Summary");
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

Cell ParseCell(const JsonFields& f, const nlohmann::json& c, const std::string& path) {
  Cell cell;
  cell.file = f.file();
  cell.id = f.String(c, path, "id");
  cell.framework = f.String(c, path, "framework");
  cell.profile = f.String(c, path, "profile");
  cell.server = f.String(c, path, "server");
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
  if (auto v = c.find("verify"); v != c.end() && v->is_object()) {
    cell.verify_passed = v->value("passed", false);
    cell.verify_checks = v->value("checks", 0);
  }
  cell.cold_start_ms = f.OptionalNumber(c, path, "cold_start_ms");
  if (!cell.ok()) return cell;  // failed cells may lack measurements
  const std::string spath = FieldPath(path, "summary");
  const auto& summary = f.Object(c, path, "summary");
  for (const char* metric : kSummaryMetrics) {
    if (!summary.contains(metric) || summary[metric].is_null()) continue;
    Summary parsed = ParseSummary(f, summary[metric], FieldPath(spath, metric));
    if (parsed.n > 0) cell.summary[metric] = std::move(parsed);  // n = 0: nothing measured
  }
  if (!cell.cold_start_ms && cell.summary.count("cold_start_ms")) {
    cell.cold_start_ms = cell.summary["cold_start_ms"].median;
  }

  if (!cell.summary.count("rps"))
    f.Fail(FieldPath(spath, "rps"), "missing; expected a Summary",
           "an ok cell needs its throughput summary");
  cell.spectrum = ParseSpectrum(f.Array(c, path, "repetitions"));
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
  const Summary* rps = Metric("rps");
  return model == "open" && rate && (!rps || rps->median < 0.95 * *rate);
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
  if (schema != kSchema) {
    f.Fail("schema", "is \"" + schema + "\"; expected \"" + kSchema + "\"",
           schema.rfind("fwbench.", 0) == 0
               ? "pass a results file from 'fwbench run', not this document"
               : "this is not an fwbench results file");
  }
  ResultsSet set;
  set.files.push_back(file);
  set.machine = ParseMachine(f, f.Object(doc, "", "meta"));
  const auto& cells = f.Array(doc, "", "cells");
  std::set<std::string> ids;
  for (size_t i = 0; i < cells.size(); ++i) {
    Cell cell = ParseCell(f, cells[i], FieldPath("cells", i));
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
