#include "embed/run_in_child.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "common/error.h"

namespace fwbench::embed {

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

}  // namespace fwbench::embed
