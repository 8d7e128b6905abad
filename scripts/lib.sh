# Shared by scripts/*: paths and the one Python fwbench uses. Source it; do not run it.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
VPY="$VENV/bin/python"
BUILD="${FWBENCH_BUILD:-$ROOT/build}"
FWBENCH="$BUILD/src/cli/fwbench"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The base interpreter: pyenv's CPython 3.11 (it ships libpython3.11.so, which the embedded
# host links). Override with FWBENCH_BASE_PYTHON.
base_python() {
  local c
  for c in "${FWBENCH_BASE_PYTHON:-}" "${PYENV_ROOT:-$HOME/.pyenv}/versions/3.11.7/bin/python3.11" \
           "$(command -v python3 || true)"; do
    [ -n "$c" ] && [ -x "$c" ] || continue
    if "$c" -c 'import sys,sysconfig; sys.exit(not (sys.version_info[:2]==(3,11) and sysconfig.get_config_var("Py_ENABLE_SHARED")))' 2>/dev/null; then
      "$c" -c 'import os,sys; print(os.path.realpath(sys.executable))'
      return 0
    fi
  done
  die "no CPython 3.11 with a shared libpython found; set FWBENCH_BASE_PYTHON to one"
}
