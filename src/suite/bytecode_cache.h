#pragma once
// The apps' bytecode cache (__pycache__), for cold-start measurements: a server's first start
// in a fresh checkout compiles every app module it imports, later starts read the cache. The
// runner warms the cache before it measures starts, and measures one start per app after a
// wipe ("cold (compile)"). Only the app's own folders are touched, never a venv.
#include <filesystem>
#include <string>
#include <vector>

namespace fwbench::suite {

// Removes every __pycache__ folder under `dirs` (recursively). Skips a folder that holds a
// pyvenv.cfg (a venv) and everything under it. Returns how many folders it removed. Throws
// fwbench::Error naming the folder when one cannot be removed.
int WipeBytecode(const std::vector<std::filesystem::path>& dirs);

// Compiles every module under `dirs` with `python -m compileall -q`, so that the next start
// imports from the cache. Throws fwbench::Error with compileall's output when it fails (a
// syntax error in an app).
void WarmBytecode(const std::filesystem::path& python,
                  const std::vector<std::filesystem::path>& dirs);

}  // namespace fwbench::suite
