#include "suite/metadata.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <fstream>

#include "common/error.h"
#include "common/paths.h"
#include "common/run_process.h"

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
  return {"werkzeug", "jinja2",   "sqlalchemy", "flask-sqlalchemy", "flask-login", "flask-wtf",
          "psycopg",  "gunicorn", "uwsgi",      "waitress",         "granian"};
}

std::string PythonBuildScript() {
  // sysconfig describes the build that produced the Makefile it was read from. Debian builds
  // its /usr/bin/python3.11 (static, PGO+LTO) apart from libpython3.11.so and ships only the
  // shared build's sysconfig, with LTO flags left out: when the executable's linkage (the
  // libpython mapped into this very process) contradicts Py_ENABLE_SHARED, sysconfig is about
  // another build, and pgo/lto are "unknown" unless a flag says yes.
  return R"PY(
import os, platform, sys, sysconfig
def python_build():
    c = sysconfig.get_config_vars()
    args = str(c.get('CONFIG_ARGS') or '')
    flags = ' '.join(str(c.get(k) or '') for k in
                     ('PY_CFLAGS', 'PY_CFLAGS_NODIST', 'PY_LDFLAGS', 'PY_LDFLAGS_NODIST', 'CFLAGS'))
    libs = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            f = line.split()
            if len(f) > 5 and os.path.basename(f[5]).startswith('libpython'):
                libs.add(os.path.realpath(f[5]))
    shared, conf_shared = bool(libs), bool(c.get('Py_ENABLE_SHARED'))
    same = shared == conf_shared
    def flag(option, cflag):
        if option in args or cflag in flags: return True
        return False if same else 'unknown'
    if same:
        evidence = ('sysconfig matches this executable (Py_ENABLE_SHARED=%d, libpython %s); '
                    'searched CONFIG_ARGS for --enable-optimizations/--with-lto and '
                    'PY_CFLAGS/PY_LDFLAGS/CFLAGS for -fprofile-use/-flto'
                    % (conf_shared, 'loaded' if shared else 'not loaded'))
    else:
        evidence = ('sysconfig says Py_ENABLE_SHARED=%d but this executable %s libpython: '
                    'sysconfig describes another build of this version, so a flag missing '
                    'from it says nothing about this executable'
                    % (conf_shared, 'loads' if shared else 'does not load'))
    return {'version': platform.python_version(), 'executable': sys.executable,
            'realpath': os.path.realpath(sys.executable),
            'base_executable': getattr(sys, '_base_executable', sys.executable),
            'compiler': platform.python_compiler(), 'libpython': sorted(libs),
            'shared': shared, 'sysconfig_shared': conf_shared,
            'sysconfig_describes_executable': same,
            'pgo': flag('--enable-optimizations', '-fprofile-use'),
            'lto': flag('--with-lto', '-flto'), 'evidence': evidence, 'config_args': args}
)PY";
}

nlohmann::json EmbeddedPython() {
  return {{"libpython", FWBENCH_EMBED_LIBPYTHON}, {"version", FWBENCH_EMBED_PYTHON_VERSION}};
}

nlohmann::json CollectMetadata(const std::vector<std::string>& frameworks) {
  utsname uts{};
  ::uname(&uts);
  nlohmann::json meta = {{"cpu_model", CpuModel()},
                         {"cores", ::sysconf(_SC_NPROCESSORS_ONLN)},
                         {"kernel", uts.release},
                         {"python", nullptr},
                         {"venv", VenvDir().string()},
                         {"python_build", nullptr},
                         {"embedded_python", EmbeddedPython()},
                         {"versions", nlohmann::json::object()},
                         {"fwbench", {{"version", Version()}, {"commit", GitCommit()}}}};
  std::string script = PythonBuildScript() +
                       "import json, importlib.metadata as m\n"
                       "def v(d):\n"
                       "    try: return m.version(d)\n"
                       "    except Exception: return None\n"
                       "print(json.dumps({'python': platform.python_version(), 'executable': "
                       "sys.executable, 'build': python_build(),"
                       " 'versions': {d: v(d) for d in sys.argv[1:]}}))\n";
  std::vector<std::string> argv = {VenvPython().string(), "-c", script};
  std::vector<std::string> packages = frameworks;
  for (const auto& p : RecordedPackages()) packages.push_back(p);
  for (const auto& p : packages)
    if (!p.empty() && std::find(argv.begin() + 3, argv.end(), p) == argv.end()) argv.push_back(p);
  ProcessResult output;
  try {
    output = RunProcess(argv);
  } catch (const Error&) {  // no venv: the fields stay out, the run says so elsewhere
  }
  auto parsed = nlohmann::json::parse(output.out, nullptr, false);
  if (output.exit_code == 0 && parsed.is_object()) {
    meta["python"] = parsed["python"];
    meta["python_executable"] = parsed["executable"];
    meta["python_build"] = parsed["build"];
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
