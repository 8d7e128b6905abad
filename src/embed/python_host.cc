#include "embed/python_host.h"

#include <pybind11/embed.h>

#include "common/error.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

void Check(PyStatus status, PyConfig& config, const std::string& step) {
  if (!PyStatus_Exception(status)) return;
  std::string message = status.err_msg ? status.err_msg : "unknown failure";
  PyConfig_Clear(&config);
  throw Error("cannot configure the embedded Python: " + message, step,
              "rerun scripts/setup to rebuild the venv");
}

}  // namespace

struct PythonHost::Interpreter {
  explicit Interpreter(PyConfig* config) : guard(config, 0, nullptr, false) {}
  py::scoped_interpreter guard;
};

PythonHost::PythonHost(const std::filesystem::path& venv_python,
                       std::optional<unsigned long> hash_seed) {
  if (!std::filesystem::exists(venv_python)) {
    throw Error("the venv's python is missing", venv_python.string(),
                "run scripts/setup to create the venv");
  }
  PyConfig config;
  PyConfig_InitPythonConfig(&config);
  config.use_environment = 0;
  config.safe_path = 1;
  config.user_site_directory = 0;
  config.site_import = 1;
  config.parse_argv = 0;
  config.install_signal_handlers = 0;
  config.buffered_stdio = 0;
  if (hash_seed) {
    config.use_hash_seed = 1;
    config.hash_seed = *hash_seed;
  }
  Check(PyConfig_SetBytesString(&config, &config.program_name, venv_python.c_str()), config,
        "PyConfig.program_name");
  Check(PyConfig_SetBytesString(&config, &config.executable, venv_python.c_str()), config,
        "PyConfig.executable");
  try {
    interpreter_ = std::make_unique<Interpreter>(&config);
  } catch (const std::runtime_error& e) {
    throw Error(std::string("the embedded Python did not start: ") + e.what(), venv_python.string(),
                "rerun scripts/setup to rebuild the venv");
  }
}

PythonHost::~PythonHost() = default;

std::string PythonHost::PythonVersion() const {
  auto version = py::module_::import("platform").attr("python_version")();
  return version.cast<std::string>();
}

std::filesystem::path PythonHost::Prefix() const {
  return py::module_::import("sys").attr("prefix").cast<std::string>();
}

}  // namespace fwbench::embed
