#include "load/summary.h"

#include <cstdio>

namespace fwbench::load {
namespace {

std::string Duration(double us) {
  char text[32];
  if (us < 1000)
    std::snprintf(text, sizeof text, "%.2fus", us);
  else if (us < 1e6)
    std::snprintf(text, sizeof text, "%.2fms", us / 1e3);
  else
    std::snprintf(text, sizeof text, "%.2fs", us / 1e6);
  return text;
}

std::string Bytes(double b) {
  char text[32];
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  int u = 0;
  while (b >= 1024 && u < 4) b /= 1024, ++u;
  std::snprintf(text, sizeof text, "%.2f%s", b, units[u]);
  return text;
}

std::string Line(const char* format, auto... args) {
  char text[256];
  std::snprintf(text, sizeof text, format, args...);
  return text;
}

std::string LatencyRow(const char* label, const nlohmann::json& l) {
  return Line(
      "    %-12s %10s %10s %10s %10s %10s\n", label, Duration(l["mean_us"].get<double>()).c_str(),
      Duration(l["stdev_us"].get<double>()).c_str(), Duration(l["p50_us"].get<double>()).c_str(),
      Duration(l["p99_us"].get<double>()).c_str(), Duration(l["max_us"].get<double>()).c_str());
}

// Closed model: starved connections, if any; open model: what the pool did.
std::string ConnectionsLine(const nlohmann::json& r) {
  const auto& c = r.value("connections", nlohmann::json());
  const auto& p = r.value("pool", nlohmann::json());
  auto n = [](const nlohmann::json& j, const char* key) {
    return static_cast<unsigned long long>(j.value(key, uint64_t{0}));
  };
  if (c.is_object() && n(c, "starved") > 0)
    return Line(
        "  Starved: %llu of %llu connections completed nothing (up to %llu timeouts each)\n",
        n(c, "starved"), n(c, "count"), n(c, "timeouts_max_per_connection"));
  if (!p.is_object()) return "";
  return Line(
      "  Connections: %llu opened, peak %llu open, %llu in flight, %llu waiting; closed: %llu "
      "above the idle cap (%llu), %llu by the server\n",
      n(p, "opened"), n(p, "peak_open"), n(p, "peak_in_flight"), n(p, "peak_waiting"),
      n(p, "closed_over_cap"), n(p, "idle_cap"), n(p, "closed_by_server"));
}

}  // namespace

std::string FormatSummary(const nlohmann::json& r, bool distribution) {
  const auto& c = r["config"];
  const auto& o = r["overall"];
  const bool open = c["model"] == "open";
  std::string out = Line("Running %.0fs test @ %s\n", c["duration_s"].get<double>(),
                         c["url"].get<std::string>().c_str());
  out += Line("  %d threads and %d connections, %s model", c["threads"].get<int>(),
              c["connections"].get<int>(), open ? "open" : "closed");
  if (open)
    out += Line(" at %.0f req/s (%s)", c["rate"].get<double>(),
                c["arrival"].get<std::string>().c_str());
  out += "\n";
  out +=
      Line("    %-12s %10s %10s %10s %10s %10s\n", "Latency", "Avg", "Stdev", "p50", "p99", "Max");
  out += LatencyRow(open ? "corrected" : "", o["latency"]["corrected"]);
  if (open) out += LatencyRow("uncorrected", o["latency"]["uncorrected"]);
  if (distribution) {
    const auto& l = o["latency"]["corrected"];
    out += "  Latency Distribution\n";
    for (auto [label, key] : {std::pair{"50%", "p50_us"},
                              {"90%", "p90_us"},
                              {"99%", "p99_us"},
                              {"99.9%", "p999_us"},
                              {"99.99%", "p9999_us"}}) {
      out += Line("  %7s %10s\n", label, Duration(l[key].get<double>()).c_str());
    }
  }
  out +=
      Line("  %llu requests in %.2fs, %s read, %llu connects\n",
           o["requests"].get<unsigned long long>(), r["elapsed_s"].get<double>(),
           Bytes(o["bytes_read"].get<double>()).c_str(), o["connects"].get<unsigned long long>());
  const auto& s = o["status"];
  const auto non2xx = s["1xx"].get<uint64_t>() + s["3xx"].get<uint64_t>() +
                      s["4xx"].get<uint64_t>() + s["5xx"].get<uint64_t>();
  if (non2xx) {
    out += Line("  Non-2xx responses: %llu (3xx %llu, 4xx %llu, 5xx %llu)\n",
                (unsigned long long)non2xx, s["3xx"].get<unsigned long long>(),
                s["4xx"].get<unsigned long long>(), s["5xx"].get<unsigned long long>());
  }
  const auto& e = o["errors"];
  uint64_t errors = 0;
  for (const auto& [k, v] : e.items()) errors += v.get<uint64_t>();
  if (errors) {
    out += Line("  Errors: connect %llu, read %llu, write %llu, timeout %llu, parse %llu\n",
                e["connect"].get<unsigned long long>(), e["read"].get<unsigned long long>(),
                e["write"].get<unsigned long long>(), e["timeout"].get<unsigned long long>(),
                e["parse"].get<unsigned long long>());
  }
  if (const uint64_t unfinished = o.value("unfinished", uint64_t{0}))
    out += Line("  Unfinished: %llu (no response or error by the end)\n",
                (unsigned long long)unfinished);
  out += ConnectionsLine(r);
  if (distribution && r["routes"].size() > 1) {
    for (const auto& [name, st] : r["routes"].items()) {
      out += Line("  %-24s %10.2f req/s  p99 %s\n", name.c_str(), st["rps"].get<double>(),
                  Duration(st["latency"]["corrected"]["p99_us"].get<double>()).c_str());
    }
  }
  const double elapsed = r["elapsed_s"].get<double>();
  out += Line("Requests/sec: %10.2f\n", o["rps"].get<double>());
  out += Line("Transfer/sec: %10s\n",
              Bytes(elapsed > 0 ? o["bytes_read"].get<double>() / elapsed : 0).c_str());
  if (r["interrupted"].get<bool>()) out += "(interrupted: partial results)\n";
  return out;
}

}  // namespace fwbench::load
