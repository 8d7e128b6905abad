#include "suite/suite.h"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/paths.h"

namespace fwbench::suite {
namespace {

using nlohmann::json;

// Reads fields of one suite document and reports errors with file, line and field path.
class Reader {
 public:
  Reader(const std::string& text, const std::string& file) : text_(text), file_(file) {}

  [[noreturn]] void Fail(const std::string& field, const std::string& what,
                         const std::string& fix = "") const {
    int line = LineOf(field);
    std::string where = file_ + (line > 0 ? ":" + std::to_string(line) : "") + ": " + field;
    throw Error(what, where, fix);
  }

  void OnlyKnown(const json& object, const std::string& field,
                 const std::set<std::string>& known) const {
    for (const auto& [key, value] : object.items()) {
      if (!key.empty() && key[0] == '_') continue;  // comments
      if (!known.count(key)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        Fail(Join(field, key), "unknown field", "known fields here: " + list);
      }
    }
  }

  double Number(const json& object, const std::string& field, const std::string& key,
                double fallback, double min, bool required = false) const {
    std::string path = Join(field, key);
    if (!object.contains(key)) {
      if (required) Fail(path, "missing field", "add it (a number >= " + Num(min) + ")");
      return fallback;
    }
    const json& value = object[key];
    if (!value.is_number() || value.get<double>() < min)
      Fail(path, "must be a number >= " + Num(min) + " (got " + value.dump() + ")");
    return value.get<double>();
  }

  int Integer(const json& object, const std::string& field, const std::string& key, int fallback,
              int min, bool required = false) const {
    std::string path = Join(field, key);
    if (!object.contains(key)) {
      if (required) Fail(path, "missing field", "add it (an integer >= " + Num(min) + ")");
      return fallback;
    }
    const json& value = object[key];
    if (!value.is_number_integer() || value.get<long>() < min)
      Fail(path, "must be an integer >= " + Num(min) + " (got " + value.dump() + ")");
    return value.get<int>();
  }

  std::string String(const json& object, const std::string& field, const std::string& key,
                     const std::string& fallback, const std::set<std::string>& allowed = {}) const {
    std::string path = Join(field, key);
    if (!object.contains(key)) return fallback;
    const json& value = object[key];
    if (!value.is_string()) Fail(path, "must be a string (got " + value.dump() + ")");
    std::string s = value.get<std::string>();
    if (!allowed.empty() && !allowed.count(s)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(path, "\"" + s + "\" is not allowed", "use one of " + list);
    }
    return s;
  }

  std::vector<std::string> Names(const json& object, const std::string& key,
                                 const std::set<std::string>& allowed = {}) const {
    return NamesAt(object, "", key, allowed);
  }

  // Names() for a list inside the object at `field` ("" is the top level).
  std::vector<std::string> NamesAt(const json& object, const std::string& field,
                                   const std::string& key,
                                   const std::set<std::string>& allowed = {}) const {
    const std::string at = Join(field, key);
    if (!object.contains(key)) Fail(at, "missing field", "add a non-empty list of names");
    const json& value = object[key];
    if (!value.is_array() || value.empty()) Fail(at, "must be a non-empty list of names");
    std::vector<std::string> out;
    for (size_t i = 0; i < value.size(); ++i) {
      std::string path = at + "[" + std::to_string(i) + "]";
      if (!value[i].is_string()) Fail(path, "must be a string (got " + value[i].dump() + ")");
      std::string name = value[i].get<std::string>();
      if (!allowed.empty() && !allowed.count(name)) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        Fail(path, "\"" + name + "\" is not allowed", "use one of " + list);
      }
      for (const auto& seen : out)
        if (seen == name) Fail(path, "\"" + name + "\" is listed twice");
      out.push_back(name);
    }
    return out;
  }

  static std::string Join(const std::string& field, const std::string& key) {
    return field.empty() ? key : field + "." + key;
  }

  static std::string Num(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
  }

 private:
  // The line of the last key of a path like "load.closed[1]", found by searching the keys in
  // order; 0 when a key cannot be found. Approximate inside lists of objects.
  int LineOf(const std::string& field) const {
    size_t pos = std::string::npos, from = 0, start = 0;
    while (start < field.size()) {
      size_t end = field.find_first_of(".[", start);
      std::string key = field.substr(start, end == std::string::npos ? end : end - start);
      if (!key.empty() && key.back() != ']') {
        size_t found = text_.find("\"" + key + "\"", from);
        if (found == std::string::npos) break;
        pos = from = found;
      }
      if (end == std::string::npos) break;
      start = end + 1;
    }
    if (pos == std::string::npos) return 0;
    return 1 + static_cast<int>(std::count(text_.begin(), text_.begin() + pos, '\n'));
  }

  const std::string& text_;
  std::string file_;
};

std::filesystem::path RootPath(const std::string& value) {
  std::filesystem::path p(value);
  return p.is_absolute() ? p : SourceDir() / p;
}

load::RequestSpec ParseRequest(const Reader& r, const json& spec, const std::string& field) {
  if (!spec.is_object()) r.Fail(field, "must be an object {\"path\": \"/json\", ...}");
  r.OnlyKnown(spec, field, {"name", "method", "path", "weight", "params", "body", "headers"});
  load::RequestSpec request;
  request.path = r.String(spec, field, "path", "");
  if (request.path.empty() || request.path[0] != '/')
    r.Fail(Reader::Join(field, "path"), "must be a path starting with '/'");
  request.method = r.String(spec, field, "method", "GET");
  request.body = r.String(spec, field, "body", "");
  request.weight = r.Number(spec, field, "weight", 1.0, 0);
  request.name = r.String(spec, field, "name", request.method + " " + request.path);
  if (spec.contains("params")) {
    const json& params = spec["params"];
    if (!params.is_array()) r.Fail(Reader::Join(field, "params"), "must be a list of strings");
    for (const auto& p : params) {
      if (!p.is_string() && !p.is_number_integer())
        r.Fail(Reader::Join(field, "params"), "must be a list of strings or integers");
      request.param_values.push_back(p.is_string() ? p.get<std::string>() : p.dump());
    }
  }
  if (spec.contains("headers")) {
    if (!spec["headers"].is_object()) r.Fail(Reader::Join(field, "headers"), "must be an object");
    for (const auto& [k, v] : spec["headers"].items()) {
      if (!v.is_string()) r.Fail(Reader::Join(field, "headers." + k), "must be a string");
      request.headers.emplace_back(k, v.get<std::string>());
    }
  }
  return request;
}

Route ParseRoute(const Reader& r, const json& spec, const std::string& field) {
  Route route;
  route.source = spec;
  if (spec.is_string()) {  // "json" is short for {"name": "json", "path": "/json"}
    route.name = spec.get<std::string>();
    load::RequestSpec request;
    request.path = "/" + route.name;
    request.name = "GET " + request.path;
    route.requests.push_back(request);
    return route;
  }
  if (!spec.is_object()) r.Fail(field, "must be a route name or an object");
  r.OnlyKnown(spec, field,
              {"name", "method", "path", "params", "body", "headers", "mix", "databases"});
  route.name = r.String(spec, field, "name", "");
  if (spec.contains("databases")) route.databases = r.NamesAt(spec, field, "databases");
  if (route.name.empty()) r.Fail(Reader::Join(field, "name"), "missing route name");
  if (route.name.find('/') != std::string::npos)
    r.Fail(Reader::Join(field, "name"), "must not contain '/' (it is part of cell ids)");
  if (spec.contains("mix")) {
    const json& mix = spec["mix"];
    if (!mix.is_array() || mix.empty())
      r.Fail(Reader::Join(field, "mix"), "must be a non-empty list of requests");
    for (size_t i = 0; i < mix.size(); ++i)
      route.requests.push_back(
          ParseRequest(r, mix[i], Reader::Join(field, "mix[" + std::to_string(i) + "]")));
  } else {
    json single = spec;
    single.erase("name");
    single.erase("databases");
    if (!single.contains("path")) single["path"] = "/" + route.name;
    route.requests.push_back(ParseRequest(r, single, field));
  }
  return route;
}

// A proxy value: "nginx" or a non-empty list of them, each known, none twice.
std::vector<std::string> ParseProxies(const Reader& r, const json& value,
                                      const std::string& field) {
  std::string known;
  for (const auto& p : KnownProxies()) known += (known.empty() ? "" : ", ") + ("\"" + p + "\"");
  std::vector<json> items;
  if (value.is_array()) {
    if (value.empty()) r.Fail(field, "must not be an empty list", "use one of " + known);
    items.assign(value.begin(), value.end());
  } else {
    items.push_back(value);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < items.size(); ++i) {
    std::string path = value.is_array() ? field + "[" + std::to_string(i) + "]" : field;
    if (!items[i].is_string())
      r.Fail(path, "must be a proxy name or a list of them (got " + items[i].dump() + ")",
             "use one of " + known);
    std::string name = items[i].get<std::string>();
    const auto& all = KnownProxies();
    if (std::find(all.begin(), all.end(), name) == all.end())
      r.Fail(path, "unknown proxy \"" + name + "\"", "use one of " + known);
    if (std::find(out.begin(), out.end(), name) != out.end())
      r.Fail(path, "proxy \"" + name + "\" is listed twice");
    out.push_back(name);
  }
  return out;
}

// "servers": names, or objects {"name": "uwsgi", "proxy": "nginx" | ["none", "nginx"]}.
void ParseServers(const Reader& r, const json& doc, Suite& suite) {
  const std::vector<std::string> fallback = doc.contains("proxy")
                                                ? ParseProxies(r, doc["proxy"], "proxy")
                                                : std::vector<std::string>{"none"};
  if (!doc.contains("servers")) r.Fail("servers", "missing field", "add a non-empty list of names");
  const json& list = doc["servers"];
  if (!list.is_array() || list.empty())
    r.Fail("servers", "must be a non-empty list of names or {\"name\", \"proxy\"} objects");
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string path = "servers[" + std::to_string(i) + "]";
    const json& item = list[i];
    std::string name;
    std::vector<std::string> proxies = fallback;
    if (item.is_string()) {
      name = item.get<std::string>();
    } else if (item.is_object()) {
      r.OnlyKnown(item, path, {"name", "proxy"});
      name = r.String(item, path, "name", "");
      if (name.empty()) r.Fail(Reader::Join(path, "name"), "missing server name");
      if (item.contains("proxy")) proxies = ParseProxies(r, item["proxy"], path + ".proxy");
    } else {
      r.Fail(path,
             "must be a server name or {\"name\": ..., \"proxy\": ...} (got " + item.dump() + ")");
    }
    if (name.find_first_of("/+") != std::string::npos)
      r.Fail(path, "server name must not contain '/' or '+' (they are part of cell ids)");
    if (suite.proxies.count(name))
      r.Fail(path, "\"" + name + "\" is listed twice",
             "list it once, with \"proxy\": [\"none\", \"nginx\"] to measure it both ways");
    suite.servers.push_back(name);
    suite.proxies[name] = proxies;
  }
}

void ParseLoad(const Reader& r, const json& doc, Suite& suite) {
  if (!doc.contains("load")) r.Fail("load", "missing field", "add {\"closed\": [16]}");
  const json& load = doc["load"];
  if (!load.is_object()) r.Fail("load", "must be an object");
  r.OnlyKnown(load, "load",
              {"closed", "open", "threads", "open_connections", "arrival", "timeout_s"});
  for (const char* model : {"closed", "open"}) {
    if (!load.contains(model)) continue;
    const json& list = load[model];
    std::string field = std::string("load.") + model;
    if (!list.is_array()) r.Fail(field, "must be a list of numbers");
    for (size_t i = 0; i < list.size(); ++i) {
      std::string item = field + "[" + std::to_string(i) + "]";
      LoadLevel level;
      level.model = model;
      if (level.model == "closed") {
        if (!list[i].is_number_integer() || list[i].get<long>() < 1)
          r.Fail(item, "must be an integer concurrency >= 1 (got " + list[i].dump() + ")");
        level.concurrency = list[i].get<int>();
      } else {
        if (!list[i].is_number() || list[i].get<double>() <= 0)
          r.Fail(item, "must be a rate > 0 requests/s (got " + list[i].dump() + ")");
        level.rate = list[i].get<double>();
      }
      suite.levels.push_back(level);
    }
  }
  if (suite.levels.empty())
    r.Fail("load", "no load level", "give load.closed (concurrencies) or load.open (rates)");
  suite.load_threads = r.Integer(load, "load", "threads", 1, 1);
  suite.open_connections = r.Integer(load, "load", "open_connections", 64, 1);
  suite.arrival = r.String(load, "load", "arrival", "uniform", {"uniform", "poisson"});
  suite.timeout_s = r.Number(load, "load", "timeout_s", 2, 0.001);
}

void ParseHostCheck(const Reader& r, const json& doc, HostCheck& check) {
  if (!doc.contains("host_check")) return;
  const json& object = doc["host_check"];
  if (!object.is_object()) r.Fail("host_check", "must be an object", "e.g. {\"retries\": 2}");
  r.OnlyKnown(object, "host_check", {"enabled", "min_speed", "retries", "wait_s"});
  if (object.contains("enabled")) {
    if (!object["enabled"].is_boolean()) r.Fail("host_check.enabled", "must be true or false");
    check.enabled = object["enabled"].get<bool>();
  }
  check.min_speed = r.Number(object, "host_check", "min_speed", check.min_speed, 0);
  if (check.min_speed > 1)
    r.Fail("host_check.min_speed", "must be a fraction <= 1 of the run's best probe");
  check.retries = r.Integer(object, "host_check", "retries", check.retries, 0);
  check.wait_s = r.Number(object, "host_check", "wait_s", check.wait_s, 0);
}

void ParsePaired(const Reader& r, const json& doc, Suite& suite) {
  Paired& p = suite.paired;
  if (doc.contains("paired")) {
    const json& object = doc["paired"];
    if (!object.is_object()) r.Fail("paired", "must be an object", "e.g. {\"target_pct\": 3}");
    r.OnlyKnown(
        object, "paired",
        {"mode", "slice_s", "warmup_max_s", "trend_pct", "target_pct", "max_rounds", "budget_s"});
    p.mode = r.String(object, "paired", "mode", p.mode, {"slices", "duet"});
    p.slice_s = r.Number(object, "paired", "slice_s", p.slice_s, 0.05);
    p.warmup_max_s = r.Number(object, "paired", "warmup_max_s", p.warmup_max_s, 0);
    p.trend_pct = r.Number(object, "paired", "trend_pct", p.trend_pct, 0.1);
    p.target_pct = r.Number(object, "paired", "target_pct", p.target_pct, 0.1);
    if (p.target_pct > 100)
      r.Fail("paired.target_pct",
             "must be a percentage between 0.1 and 100 (got " + object["target_pct"].dump() + ")",
             "e.g. 3 for a 95% interval within +-3%");
    p.max_rounds = r.Integer(object, "paired", "max_rounds", p.max_rounds, 1);
    p.budget_s = r.Number(object, "paired", "budget_s", p.budget_s, 0);
  }
  p.max_rounds = std::max(p.max_rounds, suite.repetitions);
  if (p.warmup_max_s < suite.warmup_s) p.warmup_max_s = suite.warmup_s;
  if (suite.duration_s < p.slice_s)
    r.Fail("duration_s", "must be at least paired.slice_s (" + Reader::Num(p.slice_s) + " s)",
           "the measured time per app per round is cut into slices of paired.slice_s");
}

}  // namespace

bool Route::MeasuredOn(const std::string& db) const {
  return databases.empty() || std::find(databases.begin(), databases.end(), db) != databases.end();
}

const std::vector<std::string>& KnownCompareAxes() {
  static const std::vector<std::string> kAxes = {"frameworks", "servers"};
  return kAxes;
}

const std::vector<std::string>& KnownProxies() {
  static const std::vector<std::string> kProxies = {"none", "nginx"};
  return kProxies;
}

int Paired::Slices(double duration_s) const {
  return std::max(1, static_cast<int>(duration_s / slice_s + 0.5));
}

std::string LoadLevel::Label() const {
  if (model == "closed") return "closed-c" + std::to_string(concurrency);
  std::ostringstream out;
  out << "open-r" << rate;
  return out.str();
}

Suite ParseSuite(const std::string& text, const std::string& file) {
  Reader r(text, file);
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    int line = 1 + static_cast<int>(
                       std::count(text.begin(), text.begin() + std::min(byte, text.size()), '\n'));
    throw Error("not valid JSON: " + std::string(e.what()), file + ":" + std::to_string(line),
                "fix the JSON syntax");
  }
  if (!doc.is_object()) r.Fail("(top)", "must be a JSON object");
  r.OnlyKnown(doc, "",
              {"schema",          "name",       "description", "frameworks",   "profiles",
               "servers",         "databases",  "routes",      "load",         "workers",
               "threads",         "pinning",    "warmup_s",    "duration_s",   "repetitions",
               "ready_timeout_s", "probe_path", "host_check",  "servers_file", "frameworks_file",
               "paired",          "proxy",      "compare"});
  if (r.String(doc, "", "schema", "") != "fwbench.suite/1")
    r.Fail("schema", "must be \"fwbench.suite/1\"", "add \"schema\": \"fwbench.suite/1\"");
  Suite suite;
  suite.source = doc;
  suite.name = r.String(doc, "", "name", std::filesystem::path(file).stem().string());
  const auto& axes = KnownCompareAxes();
  suite.compare =
      r.String(doc, "", "compare", suite.compare, std::set<std::string>(axes.begin(), axes.end()));
  suite.frameworks = r.Names(doc, "frameworks");
  suite.profiles = r.Names(doc, "profiles", {"minimal", "standard"});
  ParseServers(r, doc, suite);
  suite.databases = r.Names(doc, "databases", {"sqlite", "postgres"});
  if (!doc.contains("routes") || !doc["routes"].is_array() || doc["routes"].empty())
    r.Fail("routes", "must be a non-empty list", "e.g. [\"json\", \"plaintext\"]");
  for (size_t i = 0; i < doc["routes"].size(); ++i) {
    suite.routes.push_back(ParseRoute(r, doc["routes"][i], "routes[" + std::to_string(i) + "]"));
    for (size_t j = 0; j < i; ++j)
      if (suite.routes[j].name == suite.routes[i].name)
        r.Fail("routes[" + std::to_string(i) + "]", "route name listed twice");
    for (const auto& db : suite.routes[i].databases)
      if (std::find(suite.databases.begin(), suite.databases.end(), db) == suite.databases.end())
        r.Fail("routes[" + std::to_string(i) + "].databases",
               "\"" + db + "\" is not one of the suite's databases",
               "list only databases the top-level \"databases\" names");
  }
  ParseLoad(r, doc, suite);
  suite.workers = r.Integer(doc, "", "workers", 1, 1);
  suite.threads = r.Integer(doc, "", "threads", 1, 1);
  if (doc.contains("pinning")) {
    const json& pin = doc["pinning"];
    if (!pin.is_object()) r.Fail("pinning", "must be an object");
    r.OnlyKnown(pin, "pinning", {"server_cpus", "load_cpus"});
    suite.server_cpus = r.String(pin, "pinning", "server_cpus", "");
    suite.load_cpus = r.String(pin, "pinning", "load_cpus", "");
  }
  suite.warmup_s = r.Number(doc, "", "warmup_s", 1, 0);
  suite.duration_s = r.Number(doc, "", "duration_s", 5, 0.1, true);
  suite.repetitions = r.Integer(doc, "", "repetitions", 1, 1);
  suite.ready_timeout_s = r.Number(doc, "", "ready_timeout_s", 60, 0.1);
  suite.probe_path = r.String(doc, "", "probe_path", "/json");
  ParseHostCheck(r, doc, suite.host_check);
  ParsePaired(r, doc, suite);
  suite.servers_file = RootPath(r.String(doc, "", "servers_file", "bench/servers.json"));
  suite.frameworks_file = RootPath(r.String(doc, "", "frameworks_file", "apps/frameworks.json"));
  return suite;
}

Suite LoadSuite(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in)
    throw Error("cannot read suite file", path.string(),
                "give a suite file such as bench/suites/quick.json");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return ParseSuite(buffer.str(), path.string());
}

}  // namespace fwbench::suite
