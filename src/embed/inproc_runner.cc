#include "embed/inproc_runner.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "common/error.h"
#include "common/paths.h"
#include "embed/app_loader.h"
#include "embed/contract_cases.h"
#include "embed/inproc_timer.h"
#include "embed/python_host.h"
#include "embed/wsgi_bridge.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

// Runs `work` in a forked child and returns the JSON it produced. The child never returns.
nlohmann::json RunInChild(const std::string& label, const std::function<nlohmann::json()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) throw Error("pipe() failed", label);
  std::fflush(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) throw Error("fork() failed", label, "check the process limit");
  if (pid == 0) {
    ::close(fds[0]);
    nlohmann::json out;
    try {
      out = work();
    } catch (const std::exception& e) {
      out = {{"error", e.what()}};
    }
    std::string text = out.dump();
    for (size_t done = 0; done < text.size();) {
      ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) ::_exit(3);
      done += static_cast<size_t>(n);
    }
    std::fflush(nullptr);
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string text;
  char buffer[65536];
  for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty()) {
    throw Error("the in-process worker died (wait status " + std::to_string(status) + ")", label,
                "see its stderr above");
  }
  nlohmann::json result = nlohmann::json::parse(text);
  if (result.contains("error")) throw Error(result["error"].get<std::string>(), label);
  return result;
}

std::string PackageVersion(const std::string& module) {
  if (module.empty()) return "";
  try {
    return py::module_::import("importlib.metadata").attr("version")(module).cast<std::string>();
  } catch (py::error_already_set&) {
    return "";
  }
}

nlohmann::json MeasureFramework(const launch::AppEntry& entry, const std::string& profile,
                                const std::vector<RouteCase>& cases, const InprocOptions& options) {
  const std::string& framework = entry.name;
  if (!entry.dir.empty()) std::filesystem::current_path(entry.dir);
  PythonHost host(VenvPython());
  py::object app = LoadWsgiApp(entry, {profile, options.database_url});
  std::string first_error;
  WsgiBridge bridge(app, {"127.0.0.1", 80, false, "fwbench-inproc"},
                    [&first_error](std::string_view text) {
                      if (first_error.empty()) first_error = text;
                    });
  InprocTimer timer(app, bridge);
  nlohmann::json out = {{"python", host.PythonVersion()}, {"results", nlohmann::json::array()}};
  out["versions"][framework] = PackageVersion(entry.version_module);
  for (const RouteCase& item : cases) {
    first_error.clear();
    CaseTiming t =
        timer.Time(item.request, options.iterations, options.samples, options.python_baseline);
    nlohmann::json row = {{"framework", framework},
                          {"profile", profile},
                          {"route", item.route},
                          {"case", item.case_name},
                          {"method", item.request.method},
                          {"path", item.request.target},
                          {"status", t.status},
                          {"expected_status", item.expected_status},
                          {"ok", t.status == item.expected_status},
                          {"iterations", options.iterations},
                          {"ns_per_request", t.bridge_ns},
                          {"ns_per_request_samples", t.bridge_samples}};
    if (options.python_baseline) {
      row["python_loop_ns_per_request"] = t.python_ns;
      row["python_loop_ns_per_request_samples"] = t.python_samples;
      row["bridge_overhead"] = t.python_ns > 0 ? t.bridge_ns / t.python_ns - 1 : 0.0;
    }
    if (!first_error.empty()) row["first_error"] = first_error;
    out["results"].push_back(row);
  }
  return out;
}

}  // namespace

nlohmann::json RunInproc(const InprocOptions& options) {
  std::vector<RouteCase> cases = RepresentativeCases(ReadContract(), options.route);
  if (options.frameworks.empty()) {
    throw Error("no framework to measure", "fwbench inproc", "give at least one catalogue entry");
  }
  nlohmann::json doc = {
      {"schema", "fwbench.inproc/1"},
      {"tool", {{"name", "fwbench"}, {"version", Version()}, {"commit", GitCommit()}}},
      {"config",
       {{"iterations", options.iterations},
        {"samples", options.samples},
        {"database_url", options.database_url},
        {"python_baseline", options.python_baseline}}},
      {"python", ""},
      {"versions", nlohmann::json::object()},
      {"results", nlohmann::json::array()}};
  for (const launch::AppEntry& entry : options.frameworks) {
    for (const std::string& profile : options.profiles) {
      std::string label = entry.name + "/" + profile;
      std::fprintf(stderr, "inproc: %s (%zu routes)\n", label.c_str(), cases.size());
      nlohmann::json part =
          RunInChild(label, [&] { return MeasureFramework(entry, profile, cases, options); });
      doc["python"] = part["python"];
      doc["versions"].update(part["versions"]);
      for (auto& row : part["results"]) doc["results"].push_back(row);
    }
  }
  return doc;
}

bool AllResultsOk(const nlohmann::json& doc) {
  for (const auto& row : doc.at("results")) {
    if (!row.value("ok", false)) return false;
  }
  return true;
}

}  // namespace fwbench::embed
