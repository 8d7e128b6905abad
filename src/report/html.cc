#include "report/html.h"

#include <cmath>
#include <filesystem>

#include "report/format.h"

namespace fwbench::report {
namespace {

const char* kStyle = R"css(
:root { --ink:#1d2330; --muted:#5b6475; --line:#dfe3ea; --bg:#f6f7f9; --flask:#1f5fa8; --django:#1e8449; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.5 "DejaVu Sans", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
main { max-width:1180px; margin:0 auto; padding:28px 28px 60px; }
header h1 { font-size:28px; margin:0 0 4px; }
header p { margin:4px 0; color:var(--muted); }
h2 { font-size:21px; margin:0 0 10px; padding-bottom:4px; border-bottom:2px solid var(--line); }
h3 { font-size:17px; margin:24px 0 6px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:18px 22px; margin:18px 0; }
.fixture { background:#fff4d6; border:1px solid #e0b94f; border-radius:6px; padding:10px 14px; font-weight:bold; }
table { border-collapse:collapse; width:100%; font-size:13.5px; margin:8px 0 4px; }
th, td { border-bottom:1px solid var(--line); padding:6px 8px; text-align:left; vertical-align:top; }
th { background:#eef1f5; font-weight:600; }
td.num, th.num { text-align:right; white-space:nowrap; font-variant-numeric:tabular-nums; }
tr:nth-child(even) td { background:#fafbfc; }
.answer td { font-size:14.5px; }
.win { font-weight:bold; }
.fw-flask { color:var(--flask); } .fw-django { color:var(--django); }
.score { font-size:20px; font-weight:bold; display:block; }
.nodata { color:var(--muted); font-style:italic; }
.evidence { margin:4px 0 0; padding-left:16px; color:#333b49; font-size:12.5px; }
.evidence li { margin:2px 0; }
.muted { color:var(--muted); font-size:13px; }
td.cfg { white-space:nowrap; }
details.src { margin:6px 0 0 16px; font-size:12px; color:var(--muted); }
details.src summary { cursor:pointer; }
details.src li { margin:2px 0; overflow-wrap:anywhere; }
.bar { display:inline-block; height:8px; border-radius:4px; vertical-align:middle; margin-right:6px; }
figure { margin:18px 0; } figcaption { font-weight:600; margin-bottom:6px; }
figure svg { max-width:100%; height:auto; }
code { background:#eef1f5; padding:1px 4px; border-radius:3px; font-size:13px; }
)css";

std::string FwClass(const std::string& fw) { return "fw-" + fw; }

std::string Fw(const std::string& fw) {
  return "<span class=\"" + FwClass(fw) + "\">" + HtmlEscape(fw) + "</span>";
}

std::string Opt(const std::optional<Measure>& m, double scale = 1, bool ci = true,
                bool noisy = false) {
  if (!m) return "–";
  std::string text = ci && m->low && m->high
                         ? WithCi(m->value * scale, *m->low * scale, *m->high * scale)
                         : Sig(m->value * scale);
  return HtmlEscape(text) + (noisy ? " ⚠" : "");
}

std::string OptRatio(const std::optional<double>& v) { return v ? Sig(*v) : "–"; }

std::string AnswerSection(const PageInput& p) {
  std::string h =
      "<section><h2>The answer per use case</h2>\n<table class=\"answer\"><tr><th>Use "
      "case</th><th>Article suggests</th><th>Measured winner</th>";
  for (const auto& fw : p.matrix->frameworks) h += "<th class=\"num\">" + Fw(fw) + " score</th>";
  h += "<th class=\"num\">Margin</th><th>How robust</th></tr>\n";
  for (const UseCaseResult& r : *p.use_cases) {
    h += "<tr><td><b>" + HtmlEscape(r.use_case.label) + "</b><div class=\"muted\">" +
         HtmlEscape(r.use_case.why) + "</div></td><td>" +
         (r.use_case.article_pick.empty() ? "–" : Fw(r.use_case.article_pick)) +
         "</td><td class=\"win\">" + Fw(r.winner) + "</td>";
    for (const auto& fw : p.matrix->frameworks)
      h += "<td class=\"num\">" + Fixed(r.scores.at(fw), 2) + "</td>";
    h += "<td class=\"num\">" + Fixed(r.margin, 2) + "</td><td>" +
         HtmlEscape(DescribeSensitivity(r)) + "</td></tr>\n";
  }
  h += "</table><p class=\"muted\">Scores are out of 10: the weighted mean of the criterion scores "
       "below, over criteria with data. "
       "Weights per use case are in <code>src/report/use_cases.json</code> (pass your own with "
       "<code>--weights FILE</code>). "
       "“How robust” is the smallest change of one weight that makes another framework "
       "tie.</p></section>\n";
  return h;
}

std::string MatrixSection(const PageInput& p) {
  std::string h =
      "<section><h2>Decision matrix</h2>\n<p class=\"muted\">Each score is out of 10 (10 = best of "
      "the frameworks measured on that measure; a checklist scores its fraction). "
      "Every score lists its evidence. A criterion without data says so and is left out of the "
      "weighted scores.</p>\n";
  h += "<table><tr><th style=\"width:18%\">Criterion</th>";
  for (const auto& fw : p.matrix->frameworks) h += "<th>" + Fw(fw) + "</th>";
  h += "</tr>\n";
  for (const CriterionRow& row : p.matrix->rows) {
    h += "<tr><td><b>" + HtmlEscape(row.criterion.label) +
         "</b><div class=\"muted\">Article: " + HtmlEscape(row.criterion.article) + "</div></td>";
    if (!row.has_data()) {
      std::string why;
      for (const auto& m : row.measures)
        why += HtmlEscape(m.input.label + ": " + m.why_not_counted) + "<br>";
      h += "<td colspan=\"" + std::to_string(p.matrix->frameworks.size()) +
           "\" class=\"nodata\">No data: left out of every score." +
           (why.empty() ? std::string() : "<br>" + why) + "</td></tr>\n";
      continue;
    }
    for (const auto& fw : p.matrix->frameworks) {
      const double s = row.scores.at(fw);
      h += "<td><span class=\"score " + FwClass(fw) +
           "\"><span class=\"bar\" style=\"width:" + Fixed(s * 6, 0) +
           "px;background:currentColor\"></span>" + Fixed(s, 1) + "</span><ul class=\"evidence\">";
      for (const ScoredMeasure& m : row.measures) {
        if (!m.counted) continue;
        auto ev = m.input.evidence.find(fw);
        h += "<li>" + HtmlEscape(m.input.label) + ": " +
             HtmlEscape(ev == m.input.evidence.end() ? "" : ev->second) + " → <b>" +
             Fixed(m.scores.at(fw), 1) + "</b></li>";
      }
      h += "</ul>";
      std::string cites;
      for (const ScoredMeasure& m : row.measures) {
        auto it = m.input.citations.find(fw);
        if (!m.counted || it == m.input.citations.end()) continue;
        for (const auto& c : it->second) cites += "<li>" + HtmlEscape(c) + "</li>";
      }
      if (!cites.empty())
        h += "<details class=\"src\"><summary>Sources</summary><ul>" + cites + "</ul></details>";
      h += "</td>";
    }
    h += "</tr>\n";
  }
  return h + "</table></section>\n";
}

std::string ChartsSection(const PageInput& p) {
  if (p.charts.empty()) return "";
  std::string h = "<section><h2>Charts</h2>\n";
  for (size_t i = 0; i < p.charts.size(); ++i) {
    h += "<figure><figcaption>" + HtmlEscape(p.charts[i].title) + "</figcaption>\n" +
         p.chart_svgs[i] + "\n</figure>\n";
  }
  return h + "</section>\n";
}

std::string TablesSection(const PageInput& p) {
  std::string h = "<section><h2>Results per route</h2>\n<p class=\"muted\">" +
                  HtmlEscape(EstimatesNote(*p.results)) + "</p>\n<p class=\"muted\">" +
                  HtmlEscape(RatiosNote(*p.results)) + "</p>\n";
  for (const RouteTable& t : *p.tables) {
    h += "<h3>/" + HtmlEscape(t.route) +
         "</h3>\n<table><tr><th>server · profile · db</th><th>framework</th><th "
         "class=\"num\">req/s [95% CI]</th><th class=\"num\">c</th>"
         "<th class=\"num\">rate</th><th class=\"num\">p50 µs</th><th class=\"num\">p99 µs</th><th "
         "class=\"num\">p99.9 µs</th><th class=\"num\">CPU µs/req</th>"
         "<th class=\"num\">RSS MiB/worker</th><th class=\"num\">cold start ms</th></tr>\n";
    for (const FrameworkRow& r : t.rows) {
      h +=
          "<tr><td class=\"cfg\">" + HtmlEscape(r.config) + "</td><td>" + Fw(r.framework) + "</td>";
      if (r.status != "ok") {
        h += "<td colspan=\"9\" class=\"nodata\">" + HtmlEscape(r.status) + "</td></tr>\n";
        continue;
      }
      h += "<td class=\"num\">" + Opt(r.peak_rps) + HtmlEscape(StarvedText(r)) +
           "</td><td class=\"num\">" +
           (r.peak_concurrency ? std::to_string(r.peak_concurrency) : "–") +
           "</td><td class=\"num\">" + RateText(r) + "</td><td class=\"num\">" +
           Opt(r.p50_us, 1, false) + "</td><td class=\"num\">" + Opt(r.p99_us) +
           "</td><td class=\"num\">" + Opt(r.p999_us, 1, false) + "</td><td class=\"num\">" +
           Opt(r.cpu_us_per_request) + "</td><td class=\"num\">" +
           Opt(r.rss_bytes_per_worker, 1.0 / (1024 * 1024), false) + "</td><td class=\"num\">" +
           (r.cold_start_ms ? Sig(*r.cold_start_ms) : "–") + "</td></tr>\n";
    }
    h += "</table>\n";
    if (t.ratios.empty()) continue;
    h += "<table><tr><th>server · profile · db</th><th>a / b</th><th>level</th><th "
         "class=\"num\">rounds</th><th>target reached</th><th class=\"num\">req/s</th><th "
         "class=\"num\">p50</th><th class=\"num\">p99</th><th class=\"num\">CPU/req</th>"
         "<th class=\"num\">RSS/worker</th><th class=\"num\">cold start</th></tr>\n";
    for (const RatioRow& r : t.ratios) {
      h += "<tr><td class=\"cfg\">" + HtmlEscape(r.config) + "</td><td>" + Fw(r.numerator) + " / " +
           Fw(r.denominator) + "</td><td>" + HtmlEscape(LevelText(r)) + "</td><td class=\"num\">" +
           std::to_string(r.rounds) + "</td><td>" + HtmlEscape(TargetText(r)) +
           "</td><td class=\"num\">" + Opt(r.rps, 1, true, r.noisy && r.primary == "rps") +
           "</td><td class=\"num\">" + Opt(r.p50_us) + "</td><td class=\"num\">" + Opt(r.p99_us) +
           "</td><td class=\"num\">" +
           Opt(r.cpu_us_per_request, 1, true, r.noisy && r.primary == "cpu_us_per_request") +
           "</td><td class=\"num\">" + OptRatio(r.rss_bytes_per_worker) +
           "</td><td class=\"num\">" + OptRatio(r.cold_start_ms) + "</td></tr>\n";
    }
    h += "</table>\n";
  }
  return h + "</section>\n";
}

std::string MethodSection(const PageInput& p) {
  std::string h = "<section><h2>How this was made</h2><ul>";
  for (const auto& note : p.notes) h += "<li>" + HtmlEscape(note) + "</li>";
  h += "<li>Criterion score: the mean of its measures' scores; a measure scores 10 × best / value "
       "(lower is better), 10 × value / best (higher is better) "
       "or 10 × fraction (checklist), and counts only when every framework has a value.</li>"
       "<li>Use-case score: Σ w<sub>c</sub> s<sub>c</sub> / Σ w<sub>c</sub> over criteria with "
       "data. Sensitivity: the smallest |Δw<sub>c</sub>| (keeping w ≥ 0) at which a challenger "
       "ties the winner.</li>"
       "<li>Results measures use only cells that every framework ran with the same server, "
       "profile, database, route, load model, concurrency and rate; the value is the geometric "
       "mean of the cells' estimates.</li>"
       "</ul></section>\n";
  return h;
}

}  // namespace

std::string InlineSvg(const std::string& text) {
  const size_t start = text.find("<svg");
  return start == std::string::npos ? text : text.substr(start);
}

std::string DescribeSensitivity(const UseCaseResult& r) {
  const Sensitivity& s = r.sensitivity;
  if (!s.flippable) return "No single weight change can make another framework win.";
  if (s.delta == 0) return "Tied with " + s.challenger + ".";
  double w = 0;
  if (auto it = r.use_case.weights.find(s.criterion); it != r.use_case.weights.end())
    w = it->second;
  return std::string(s.delta > 0 ? "Raising" : "Lowering") + " the weight of " + s.criterion +
         " from " + Sig(w) + " to " + Sig(s.new_weight) + " (" + (s.delta > 0 ? "+" : "") +
         Sig(s.delta) + ") makes " + s.challenger + " tie.";
}

std::string RenderAnswerText(const std::vector<UseCaseResult>& use_cases) {
  std::string text;
  for (const UseCaseResult& r : use_cases) {
    text += r.use_case.id + ": " + r.winner;
    std::string scores;
    for (const auto& [fw, s] : r.scores)
      scores += (scores.empty() ? "" : ", ") + fw + " " + Fixed(s, 2);
    text += " (" + scores + "; margin " + Fixed(r.margin, 2) +
            "; article: " + (r.use_case.article_pick.empty() ? "-" : r.use_case.article_pick) +
            "). " + DescribeSensitivity(r) + "\n";
  }
  return text;
}

std::string RenderHtml(const PageInput& p) {
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n"
      "<title>fwbench report: Flask vs Django, measured</title>\n<style>" +
      std::string(kStyle) + "</style></head>\n<body><main>\n";
  std::string names;
  for (size_t i = 0; i < p.results->frameworks.size(); ++i)
    names += (i ? " vs " : "") + p.results->frameworks[i];
  h += "<header><h1>fwbench report: " + HtmlEscape(names) +
       "</h1>\n<p>Measured on: " + HtmlEscape(DescribeMachine(p.results->machine)) + "</p>\n";
  if (p.results->machine.fixture)
    h += "<p class=\"fixture\">FIXTURE DATA: the performance numbers on this page are invented "
         "test input, not a measurement.</p>\n";
  h += "</header>\n";
  h += AnswerSection(p) + MatrixSection(p) + ChartsSection(p) + TablesSection(p) + MethodSection(p);
  return h + "</main></body></html>\n";
}

}  // namespace fwbench::report
