#include "suite/metadata.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <ctime>
#include <fstream>

#include "common/paths.h"
#include "launch/command.h"

namespace fwbench::suite {
namespace {

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      size_t colon = line.find(':');
      return colon == std::string::npos ? line : line.substr(colon + 2);
    }
  return "unknown";
}

}  // namespace

std::vector<std::string> RecordedPackages() {
  return {"flask",       "django",    "werkzeug", "jinja2",   "sqlalchemy", "flask-sqlalchemy",
          "flask-login", "flask-wtf", "psycopg",  "gunicorn", "uwsgi",      "waitress",
          "granian"};
}

nlohmann::json CollectMetadata() {
  utsname uts{};
  ::uname(&uts);
  nlohmann::json meta = {{"cpu_model", CpuModel()},
                         {"cores", ::sysconf(_SC_NPROCESSORS_ONLN)},
                         {"kernel", uts.release},
                         {"python", nullptr},
                         {"versions", nlohmann::json::object()},
                         {"fwbench", {{"version", Version()}, {"commit", GitCommit()}}}};
  std::string script =
      "import json, platform, sys, importlib.metadata as m\n"
      "def v(d):\n"
      "    try: return m.version(d)\n"
      "    except Exception: return None\n"
      "print(json.dumps({'python': platform.python_version(), 'executable': sys.executable,"
      " 'versions': {d: v(d) for d in sys.argv[1:]}}))\n";
  std::vector<std::string> argv = {VenvPython().string(), "-c", script};
  for (const auto& p : RecordedPackages()) argv.push_back(p);
  launch::CommandOutput output = launch::RunCommand(argv, "");
  auto parsed = nlohmann::json::parse(output.out, nullptr, false);
  if (output.exit_code == 0 && parsed.is_object()) {
    meta["python"] = parsed["python"];
    meta["python_executable"] = parsed["executable"];
    meta["versions"] = parsed["versions"];
  }
  return meta;
}

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

}  // namespace fwbench::suite
