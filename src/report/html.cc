#include "report/html.h"

#include <cctype>
#include <cmath>
#include <filesystem>

#include "report/format.h"

namespace fwbench::report {
namespace {

const char* kStyle = R"css(
:root { --ink:#1d2330; --muted:#5b6475; --line:#dfe3ea; --bg:#f6f7f9; }
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
.scroll { overflow-x:auto; max-width:100%; }
.caveat { background:#fff8e6; border-left:3px solid #E69F00; padding:4px 10px; margin:4px 0 10px; font-size:12.5px; }
.missing { color:#8a4b00; font-size:12.5px; }
.pts { font-variant-numeric:tabular-nums; }
.method li { margin:4px 0; }
)css";

std::string FwClass(const std::string& fw) { return "fw-" + fw; }

// One colour class per framework, in the results' order, from the Okabe-Ito palette in the order
// src/report/charts.py (fw_color) gives the frameworks, so a name has one colour everywhere.
std::string FrameworkStyle(const std::vector<std::string>& frameworks) {
  static const char* const kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#E69F00",
                                         "#56B4E9", "#CC79A7", "#F0E442", "#000000"};
  std::string css;
  for (size_t i = 0; i < frameworks.size(); ++i)
    css += "." + FwClass(frameworks[i]) + " { color:" + kPalette[i % std::size(kPalette)] + "; }\n";
  return css;
}

std::string Fw(const std::string& fw) {
  return "<span class=\"" + FwClass(fw) + "\">" + HtmlEscape(fw) + "</span>";
}

std::string Pts(double v) { return (v > 0 ? "+" : "") + Fixed(v, 2); }

std::string AnswerSection(const PageInput& p) {
  const Matrix& m = *p.matrix;
  std::string h =
      "<section><h2>The answer per use case</h2>\n<div class=\"scroll\"><table "
      "class=\"answer\"><tr><th>Use case</th><th>Article suggests</th><th>Measured "
      "winner</th><th class=\"num\">P(win)</th>";
  for (const auto& fw : m.frameworks) h += "<th class=\"num\">" + Fw(fw) + " score</th>";
  h += "<th class=\"num\">Margin</th><th>How robust</th></tr>\n";
  for (const UseCaseResult& r : *p.use_cases) {
    h += "<tr><td><b>" + HtmlEscape(r.use_case.label) + "</b><div class=\"muted\">" +
         HtmlEscape(r.use_case.why) + "</div>";
    for (const auto& e : r.evidence_used)
      h += "<div class=\"muted\">Evidence: " + HtmlEscape(e) + "</div>";
    for (const auto& e : r.missing_evidence)
      h += "<div class=\"missing\">Evidence missing: " + HtmlEscape(e) + "</div>";
    if (!r.missing.empty())
      h += "<div class=\"missing\">Weighted measures without data: " +
           std::to_string(r.missing.size()) + " (listed in the matrix)</div>";
    h += "</td><td>" + (r.use_case.article_pick.empty() ? "–" : Fw(r.use_case.article_pick)) +
         "</td><td class=\"win\">" + Fw(r.winner) + "</td><td class=\"num\">" +
         Fixed(r.p_win.at(r.winner), 2) + "</td>";
    for (const auto& fw : m.frameworks)
      h += "<td class=\"num\">" + Fixed(r.scores.at(fw), 2) + "</td>";
    h += "<td class=\"num\">" + Fixed(r.margin, 2) + "</td><td>" +
         HtmlEscape(DescribeSensitivity(r)) + "</td></tr>\n";
  }
  h += "</table></div><p class=\"muted\">Scores run from −10 to +10 against " +
       HtmlEscape(m.reference) +
       " (which scores 0): the weighted mean of the criterion points below, times 10. "
       "P(win) is the share of " +
       std::to_string(m.method.draws) +
       " Monte Carlo draws the winner wins, with every measurement resampled within its "
       "interval and the weights drawn around the shipped ones. Weights per use case are in "
       "<code>src/report/use_cases.json</code> (pass your own with <code>--weights "
       "FILE</code>). “How robust” is the smallest change of one weight that makes another "
       "framework tie; the tornado chart below gives the margin with each criterion or measure "
       "left out.</p></section>\n";
  return h;
}

std::string MatrixSection(const PageInput& p) {
  const Matrix& m = *p.matrix;
  std::string h =
      "<section><h2>Decision matrix</h2>\n<p class=\"muted\">Points per criterion against " +
      HtmlEscape(m.reference) + " (from −1 to +1; " + HtmlEscape(m.reference) +
      " is 0): the mean of the criterion's scored measures. A measured ratio inside the ±" +
      Sig(m.method.band * 100) + "% band, interval included, is a tie (0); a ratio of " +
      Sig(m.method.cap) +
      "× or more is a full point. Every measure lists its evidence; measures shown but not "
      "scored, and measures without data, say why. These are the default routes; each use case "
      "reads its own (above).</p>\n";
  h += "<div class=\"scroll\"><table><tr><th style=\"width:22%\">Criterion</th>";
  for (const auto& fw : m.frameworks) h += "<th>" + Fw(fw) + "</th>";
  h += "</tr>\n";
  for (const CriterionRow& row : m.rows) {
    h += "<tr><td><b>" + HtmlEscape(row.criterion.label) + "</b><div class=\"muted\">" +
         (row.criterion.in_article ? "Article: " : "") + HtmlEscape(row.criterion.article) +
         "</div>";
    std::string off;
    for (const ScoredMeasure& s : row.measures) {
      if (s.counted) continue;
      off += "<li class=\"" + std::string(s.missing ? "missing" : "muted") + "\">" +
             HtmlEscape(s.input.label) + ": " + (s.missing ? "no data: " : "") +
             HtmlEscape(s.why_not_counted) + "</li>";
    }
    if (!off.empty()) h += "<ul class=\"evidence\">" + off + "</ul>";
    h += "</td>";
    if (!row.has_data()) {
      h += "<td colspan=\"" + std::to_string(m.frameworks.size()) +
           "\" class=\"nodata\">No data: left out of every score.</td></tr>\n";
      continue;
    }
    for (const auto& fw : m.frameworks) {
      const double s = row.points.at(fw);
      h += "<td><span class=\"score " + FwClass(fw) + "\">" +
           (fw == m.reference ? std::string("0 (reference)") : Pts(s)) +
           "</span><ul class=\"evidence\">";
      for (const ScoredMeasure& ms : row.measures) {
        auto ev = ms.input.evidence.find(fw);
        if (ev == ms.input.evidence.end() && !ms.counted) continue;
        h += "<li>" + HtmlEscape(ms.input.label) + ": " +
             HtmlEscape(ev == ms.input.evidence.end() ? "" : ev->second);
        if (ms.counted && fw != m.reference)
          h += " → <b class=\"pts\">" + Pts(ms.points.at(fw)) + "</b>";
        if (!ms.counted) h += " <span class=\"muted\">(not scored)</span>";
        h += "</li>";
      }
      h += "</ul>";
      std::string cites;
      for (const ScoredMeasure& ms : row.measures) {
        auto it = ms.input.citations.find(fw);
        if (it == ms.input.citations.end()) continue;
        for (const auto& c : it->second) cites += "<li>" + HtmlEscape(c) + "</li>";
      }
      if (!cites.empty())
        h += "<details class=\"src\"><summary>Sources</summary><ul>" + cites + "</ul></details>";
      h += "</td>";
    }
    h += "</tr>\n";
  }
  return h + "</table></div></section>\n";
}

std::string ChartsSection(const PageInput& p) {
  if (p.charts.empty()) return "";
  std::string h = "<section><h2>Charts</h2>\n";
  for (size_t i = 0; i < p.charts.size(); ++i) {
    h += "<figure><figcaption>" + HtmlEscape(p.charts[i].title) + "</figcaption>\n";
    if (!p.charts[i].note.empty())
      h += "<p class=\"muted\">" + HtmlEscape(p.charts[i].note) + "</p>\n";
    h += "<div class=\"scroll\">" + p.chart_svgs[i] + "</div>\n</figure>\n";
  }
  return h + "</section>\n";
}

// The caveats of one route's numbers, next to them: saturated latency cells, cells with
// errors, and comparisons whose interval is wider than their target.
std::string RouteCaveats(const RouteTable& t) {
  std::string saturated;
  for (const FrameworkRow& r : t.rows)
    if (r.saturated_at) saturated += (saturated.empty() ? "" : ", ") + r.config + " " + r.framework;
  std::string errors;
  for (const FrameworkRow& r : t.rows)
    if (r.error_ratio)
      errors += (errors.empty() ? "" : ", ") + r.config + " " + r.framework + ErrorsText(r);
  int noisy = 0;
  for (const RatioRow& r : t.ratios) noisy += r.noisy;
  std::string h;
  if (!errors.empty())
    h += "<div class=\"caveat\">Cells with errors (socket errors, 4xx and 5xx over responses; "
         "their req/s counts the error responses too): " +
         HtmlEscape(errors) + ".</div>\n";
  if (!saturated.empty())
    h += "<div class=\"caveat\">Saturated at the open-loop rate (latency is queueing time; no "
         "latency ratio, not drawn, not scored): " +
         HtmlEscape(saturated) + ".</div>\n";
  if (noisy > 0)
    h += "<div class=\"caveat\">" + std::to_string(noisy) + " of " +
         std::to_string(t.ratios.size()) +
         " comparisons below are noisy (⚠: the interval is wider than the target); the matrix "
         "uses their intervals as they are.</div>\n";
  return h;
}

std::string TablesSection(const PageInput& p) {
  std::string h = "<section><h2>Results per route</h2>\n<p class=\"muted\">" +
                  HtmlEscape(EstimatesNote(*p.results)) + "</p>\n<p class=\"muted\">" +
                  HtmlEscape(RatiosNote(*p.results)) + "</p>\n";
  for (const RouteTable& t : *p.tables) {
    h += "<h3>/" + HtmlEscape(t.route) + "</h3>\n" + RouteCaveats(t) +
         "<div class=\"scroll\"><table><tr><th>server · profile · db</th><th>framework</th>";
    for (const metrics::Metric* m : t.columns) {
      h += "<th class=\"num\">" + HtmlEscape(std::string(m->display.header)) + "</th>";
      if (LevelColumnsFollow(*m)) h += "<th class=\"num\">c</th><th class=\"num\">rate</th>";
    }
    h += "</tr>\n";
    for (const FrameworkRow& r : t.rows) {
      h +=
          "<tr><td class=\"cfg\">" + HtmlEscape(r.config) + "</td><td>" + Fw(r.framework) + "</td>";
      if (r.status != "ok") {
        h += "<td colspan=\"" + std::to_string(ColumnCount(t)) + "\" class=\"nodata\">" +
             HtmlEscape(r.status) + "</td></tr>\n";
        continue;
      }
      for (const metrics::Metric* m : t.columns) {
        // The page rounds every figure to 3 significant digits.
        h += "<td class=\"num\">" + HtmlEscape(ValueText(r, *m, 3)) + "</td>";
        if (LevelColumnsFollow(*m))
          h += "<td class=\"num\">" +
               (r.peak_concurrency ? std::to_string(r.peak_concurrency) : "–") +
               "</td><td class=\"num\">" + RateText(r) + "</td>";
      }
      h += "</tr>\n";
    }
    h += "</table></div>\n";
    if (t.ratios.empty()) continue;
    h += "<div class=\"scroll\"><table><tr><th>server · profile · db</th><th>a / "
         "b</th><th>level</th><th "
         "class=\"num\">rounds</th><th>target reached</th>";
    for (const metrics::Metric* m : t.ratio_columns)
      h += "<th class=\"num\">" + HtmlEscape(std::string(m->display.ratio_header)) + "</th>";
    h += "</tr>\n";
    for (const RatioRow& r : t.ratios) {
      h += "<tr><td class=\"cfg\">" + HtmlEscape(r.config) + "</td><td>" + Fw(r.numerator) + " / " +
           Fw(r.denominator) + "</td><td>" + HtmlEscape(LevelText(r)) + "</td><td class=\"num\">" +
           std::to_string(r.rounds) + "</td><td>" + HtmlEscape(TargetText(r)) + "</td>";
      for (const metrics::Metric* m : t.ratio_columns)
        h += "<td class=\"num\">" + HtmlEscape(RatioText(r, *m)) + "</td>";
      h += "</tr>\n";
    }
    h += "</table></div>\n";
  }
  return h + "</section>\n";
}

// `text` escaped, with each `quoted` span as <code>.
std::string WithCode(const std::string& text) {
  std::string out;
  bool open = false;
  for (char c : HtmlEscape(text)) {
    if (c == '`') {
      out += open ? "</code>" : "<code>";
      open = !open;
    } else {
      out += c;
    }
  }
  return open ? out + "</code>" : out;
}

// Per route, one row per framework and profile: total, one column per layer, hooks. Then the
// flame graphs, each linked with its verdict.
std::string LayersSection(const PageInput& p) {
  if (!p.layers && !p.flamegraphs) return "";
  std::string h = "<section><h2>" + HtmlEscape(kLayersTitle) + "</h2>\n";
  if (const LayersDoc* doc = p.layers) {
    h += "<p class=\"muted\">" + WithCode(LayersNote(*doc)) + "</p>\n";
    if (p.layers_chart) {
      h += "<figure><figcaption>" + HtmlEscape(p.layers_chart->title) + "</figcaption>\n";
      if (!p.layers_chart->note.empty())
        h += "<p class=\"muted\">" + HtmlEscape(p.layers_chart->note) + "</p>\n";
      h += "<div class=\"scroll\">" + p.layers_chart_svg + "</div>\n</figure>\n";
    }
    std::string header = "<tr><th>framework</th><th>profile</th><th class=\"num\">total</th>";
    for (const auto& name : doc->layer_names)
      header += "<th class=\"num\">" + HtmlEscape(name) + "</th>";
    const bool timed = doc->HasThreadCpu();
    header += "<th class=\"num\">hooks</th>";
    header += timed ? "<th class=\"num\">thread CPU µs</th></tr>\n" : "</tr>\n";
    for (const auto& route : doc->Routes()) {
      h += "<h3>" + HtmlEscape(LayersRouteTitle(*doc, route)) +
           "</h3>\n<div class=\"scroll\"><table>" + header;
      for (const LayerRow& r : doc->rows) {
        if (r.route != route) continue;
        h += "<tr><td>" + Fw(r.framework) + HtmlEscape(r.Flag()) + "</td><td>" +
             HtmlEscape(r.profile) + "</td><td class=\"num\">" + Grouped(r.total_instructions) +
             "</td>";
        for (double n : r.instructions) h += "<td class=\"num\">" + Grouped(n) + "</td>";
        h += "<td class=\"num\">" + HooksText(r) + "</td>";
        h += timed ? "<td class=\"num\">" + ThreadCpuText(r) + "</td></tr>\n" : "</tr>\n";
      }
      h += "</table></div>\n";
    }
  }
  if (const FlameGraphs* fg = p.flamegraphs) {
    h += "<h3>Flame graphs</h3>\n<p class=\"muted\">py-spy flame graphs of a worker under load, "
         "from " +
         HtmlEscape(fg->file) + " (fwbench.flamegraphs/1" +
         (fg->command.empty() ? std::string()
                              : "; command: <code>" + HtmlEscape(fg->command) + "</code>") +
         "), each with its sampled layer shares against the instrumented ones.</p>\n<ul>";
    for (const FlameGraph& g : fg->graphs)
      h += "<li><a href=\"" + HtmlEscape(g.svg) + "\">" + HtmlEscape(FlameGraphLabel(g)) +
           "</a>: " + HtmlEscape(FlameGraphVerdict(g, fg->tolerance_pp)) + "</li>\n";
    h += "</ul>\n";
  }
  return h + "</section>\n";
}

std::string MethodSection(const PageInput& p) {
  const Method& m = p.matrix->method;
  const std::string ref = HtmlEscape(p.matrix->reference);
  std::string h = "<section><h2>Method</h2><ul class=\"method\">";
  h += "<li><b>Criteria.</b> The article's six sections: learning curve and documentation, "
       "project structure and flexibility, ORM and database support, template engine, "
       "community and support, performance. A criterion the article does not name (security "
       "defaults) is shown as its own row with weight 0 unless the weights file writes a reason "
       "for another weight.</li>";
  h += "<li><b>One measure per quantity.</b> Cost per request is scored once per route group, "
       "from each comparison's primary metric (req/s in a closed loop, server CPU per request "
       "in a duet): with one worker on one CPU, req/s × CPU per request is about 1 s, so "
       "scoring both would count one quantity twice. The ORM is scored once (database routes); "
       "the in-process cost is shown, not scored (the same quantity without a server); LTS is "
       "shown, months of security fixes scored (one release policy); hello-world figures are "
       "shown as their own row; dependency count is shown, not scored (more packages is not "
       "worse; their size is in the install size).</li>";
  h += "<li><b>Effect size.</b> Each measure gives every framework a log ratio against " + ref +
       " with its standard error (from the comparisons' 95% intervals; 0 for facts). A ratio "
       "whose interval lies inside ±" +
       Sig(m.band * 100) + "% is a tie (0 points); otherwise the points are log(ratio) / log(" +
       Sig(m.cap) +
       "), capped at ±1, so no single ratio outweighs a criterion. A checklist item "
       "one side has and the other lacks is ±1; only items the article names are scored "
       "(ORM, authentication, admin interface).</li>";
  h += "<li><b>Like for like.</b> Install size is that of the reference app's stack in each "
       "profile (the distributions it has loaded after serving a request), cold start and RSS "
       "those of the reference app under each server; hello-world is its own row, not "
       "scored.</li>";
  h += "<li><b>Learning curve.</b> Counts what a developer writes: lines of a file that a "
       "framework command generated (Django's startproject and startapp templates) are not "
       "counted, nor are migrations or empty files; the counting rules are in "
       "<code>src/report/appsize.py</code> and the app-size document.</li>";
  h += "<li><b>Use cases.</b> Score = 10 × Σ w<sub>c</sub> P<sub>c</sub> / Σ w<sub>c</sub> over "
       "weighted criteria with data. Each use case names its own routes; a route not yet in "
       "the results is reported as missing evidence, and the criterion's general routes stand "
       "in meanwhile.</li>";
  h += "<li><b>Uncertainty.</b> P(win): " + std::to_string(m.draws) + " Monte Carlo draws (seed " +
       std::to_string(m.seed) +
       ", SplitMix64): every effect drawn from Normal(log ratio, se), every use case's weights "
       "from Dirichlet(" +
       Sig(m.concentration) +
       " × shipped share). Run-to-run shifts larger than the within-run intervals "
       "(results/README.md, reproducibility) are not in it.</li>";
  h += "<li><b>Missing data</b> is listed next to the criterion and the use case, never "
       "dropped silently.</li></ul><h3>Inputs</h3><ul>";
  for (const auto& note : p.notes) h += "<li>" + HtmlEscape(note) + "</li>";
  h += "</ul></section>\n";
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
    text += r.use_case.id + ": " + r.winner + " (P(win) " + Fixed(r.p_win.at(r.winner), 2) + ")";
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
  std::string names;  // "Flask vs Django": catalogue names, capitalised
  for (size_t i = 0; i < p.results->frameworks.size(); ++i) {
    std::string name = p.results->frameworks[i];
    if (!name.empty())
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    names += (i ? " vs " : "") + name;
  }
  std::string h =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<meta name=\"viewport\" "
      "content=\"width=device-width, initial-scale=1\">\n"
      "<title>fwbench report: " +
      HtmlEscape(names) + ", measured</title>\n<style>" + std::string(kStyle) +
      FrameworkStyle(p.results->frameworks) + "</style></head>\n<body><main>\n";
  h += "<header><h1>fwbench report: " + HtmlEscape(names) +
       "</h1>\n<p>Measured on: " + HtmlEscape(DescribeMachine(p.results->machine)) + "</p>\n";
  if (p.results->machine.fixture)
    h += "<p class=\"fixture\">FIXTURE DATA: the performance numbers on this page are invented "
         "test input, not a measurement.</p>\n";
  h += "</header>\n";
  h += AnswerSection(p) + MatrixSection(p) + MethodSection(p) + ChartsSection(p) +
       TablesSection(p) + LayersSection(p);
  return h + "</main></body></html>\n";
}

}  // namespace fwbench::report
