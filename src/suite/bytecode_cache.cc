#include "suite/bytecode_cache.h"

#include <system_error>

#include "common/error.h"
#include "common/run_process.h"

namespace fwbench::suite {
namespace fs = std::filesystem;

int WipeBytecode(const std::vector<fs::path>& dirs) {
  int removed = 0;
  for (const fs::path& top : dirs) {
    std::error_code ec;
    if (!fs::is_directory(top, ec) || fs::exists(top / "pyvenv.cfg", ec)) continue;
    std::vector<fs::path> caches;
    for (auto it = fs::recursive_directory_iterator(top, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (!it->is_directory(ec)) continue;
      if (fs::exists(it->path() / "pyvenv.cfg", ec)) {
        it.disable_recursion_pending();
      } else if (it->path().filename() == "__pycache__") {
        caches.push_back(it->path());
        it.disable_recursion_pending();
      }
    }
    for (const fs::path& cache : caches) {
      fs::remove_all(cache, ec);
      if (ec)
        throw Error("cannot remove " + cache.string() + ": " + ec.message(), "bytecode cache",
                    "make the app folders writable by the user running fwbench");
      ++removed;
    }
  }
  return removed;
}

void WarmBytecode(const fs::path& python, const std::vector<fs::path>& dirs) {
  std::vector<std::string> argv = {python.string(), "-m", "compileall", "-q"};
  for (const fs::path& dir : dirs)
    if (fs::is_directory(dir) && !fs::exists(dir / "pyvenv.cfg")) argv.push_back(dir.string());
  if (argv.size() == 4) return;
  RunProcessOrThrow(argv, "compiling the app's bytecode (python -m compileall)",
                    "fix the module that does not compile; its error is above");
}

}  // namespace fwbench::suite
