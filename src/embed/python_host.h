#pragma once
// The embedded CPython: the project's venv interpreter, isolated from the environment.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace fwbench::embed {

// Owns the process's one interpreter (RAII: started in the constructor, finalized in the
// destructor). Configured by PyConfig so that only the venv decides what is imported:
//   program_name = `venv_python` (so sys.prefix is the venv and its site-packages are used),
//   use_environment = 0 (PYTHONPATH, PYTHONHOME, PYTHON* are ignored),
//   safe_path = 1 and no program dir (the current directory is never on sys.path),
//   user site off, Python's own signal handlers off (the C++ host owns signals).
// `hash_seed` fixes str hashing (what PYTHONHASHSEED does, which use_environment = 0 ignores),
// for instruction counts that repeat from run to run; unset keeps Python's random seed.
// Throws fwbench::Error when `venv_python` does not exist or the interpreter fails to start.
// At most one PythonHost may exist per process, and it cannot be restarted after it ends.
class PythonHost {
 public:
  explicit PythonHost(const std::filesystem::path& venv_python,
                      std::optional<unsigned long> hash_seed = std::nullopt);
  ~PythonHost();
  PythonHost(const PythonHost&) = delete;
  PythonHost& operator=(const PythonHost&) = delete;

  // sys.version's first word, e.g. "3.11.7".
  std::string PythonVersion() const;
  // sys.prefix: the venv folder when the configuration worked.
  std::filesystem::path Prefix() const;

 private:
  struct Interpreter;
  std::unique_ptr<Interpreter> interpreter_;
};

}  // namespace fwbench::embed
