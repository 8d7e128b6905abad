#include "common/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/fd.h"

namespace fwbench {
namespace {

std::string SystemError(const char* call) {
  return std::string(call) + ": " + std::strerror(errno);
}

void WriteAll(int fd, std::string_view data, const std::string& where) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error("cannot write " + SystemError("write"), where, "free disk space or choose another output path");
    data.remove_prefix(static_cast<size_t>(n));
  }
}

}  // namespace

void WriteFileAtomic(const std::filesystem::path& path, std::string_view content) {
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error("cannot create folder: " + ec.message(), dir.string());
  std::string tmpl = (dir / ("." + path.filename().string() + ".XXXXXX")).string();
  Fd fd(::mkstemp(tmpl.data()));
  if (fd.get() < 0) throw Error("cannot create temporary file " + SystemError("mkstemp"), tmpl, "check that the folder is writable");
  try {
    WriteAll(fd.get(), content, tmpl);
    if (::fchmod(fd.get(), 0644) != 0 || ::fsync(fd.get()) != 0)
      throw Error("cannot flush " + SystemError("fsync"), tmpl, "free disk space or choose another output path");
    if (::close(fd.Release()) != 0) throw Error("cannot close " + SystemError("close"), tmpl);
    if (::rename(tmpl.c_str(), path.c_str()) != 0) throw Error("cannot rename " + SystemError("rename"), path.string());
  } catch (...) {
    ::unlink(tmpl.c_str());
    throw;
  }
  Fd dirfd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY));
  if (dirfd.get() >= 0) ::fsync(dirfd.get());
}

void WriteJsonAtomic(const std::filesystem::path& path, const nlohmann::json& doc) {
  WriteFileAtomic(path, doc.dump(2) + "\n");
}

nlohmann::json ReadJsonFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw Error("cannot open " + path.string() + ": " + std::strerror(errno), path.string(), "check the path");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& e) {
    throw Error(std::string("invalid JSON: ") + e.what(), path.string(), "fix the file's syntax");
  }
}

}  // namespace fwbench
