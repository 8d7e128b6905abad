// `fwbench serve` end to end: the test process never starts Python itself; each server runs
// embed::Serve in a forked child (its own process group, killed by the fixture whatever
// happens) over tests/cpp/embed/wsgi_conformance.py.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <thread>

#include "common/error.h"
#include "embed/prefork_server.h"
#include "embed_test_support.h"
#include "common/fd.h"
#include "net/http.h"
#include "net/socket.h"

namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

// A server started by fork + embed::Serve; the destructor SIGKILLs its whole process group.
class ServerProcess {
 public:
  explicit ServerProcess(int workers, int port = 0) {
    int out[2];
    EXPECT_EQ(::pipe(out), 0);
    std::fflush(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      fwbench::embed::ServeOptions options;
      options.app = fwbench::launch::TargetEntry(
          "wsgi_conformance:app", {fwbench::embed::testing::ConformanceDir()}, "test");
      options.workers = workers;
      options.port = port;
      options.graceful_timeout_s = 5;
      try {
        fwbench::embed::Serve(options);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "serve failed: %s\n", e.what());
        ::_exit(1);
      }
      ::_exit(0);
    }
    ::setpgid(pid_, pid_);
    ::close(out[1]);
    stdout_ = ::fdopen(out[0], "r");
    char line[256] = "";
    if (std::fgets(line, sizeof line, stdout_)) {  // "listening on http://127.0.0.1:PORT"
      std::sscanf(line, "listening on http://127.0.0.1:%d", &port_);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_) std::fclose(stdout_);
  }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM, then waits for the master; returns its wait status.
  int Terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  FILE* stdout_ = nullptr;
  bool reaped_ = false;
};

// Processes whose parent is `parent`, from /proc.
std::set<pid_t> ChildrenOf(pid_t parent) {
  std::set<pid_t> children;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string name = entry.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string text((std::istreambuf_iterator<char>(stat)), {});
    size_t close = text.rfind(')');
    if (close == std::string::npos) continue;
    char state = 0;
    int ppid = 0;
    if (std::sscanf(text.c_str() + close + 1, " %c %d", &state, &ppid) == 2 && ppid == parent) {
      children.insert(std::stoi(name));
    }
  }
  return children;
}

bool Exists(pid_t pid) { return ::kill(pid, 0) == 0 || errno != ESRCH; }

// A blocking keep-alive client connection.
class Client {
 public:
  explicit Client(int port) {
    fd_.Reset(::socket(AF_INET, SOCK_STREAM, 0));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{10, 0};
    ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  bool connected() const { return connected_; }

  // Sends GET `path`; returns false when the connection drops before a whole response.
  bool Get(const std::string& path) {
    std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    if (::send(fd_.get(), request.data(), request.size(), MSG_NOSIGNAL) < 0) return false;
    char buffer[65536];
    while (true) {
      ssize_t n = ::recv(fd_.get(), buffer, sizeof buffer, 0);
      if (n <= 0) return false;
      auto step = parser_.Feed(std::string_view(buffer, static_cast<size_t>(n)));
      if (step.error) return false;
      if (step.complete) return true;
    }
  }
  const fwbench::net::HttpParser& response() const { return parser_; }

 private:
  fwbench::Fd fd_;
  bool connected_ = false;
  fwbench::net::HttpParser parser_{fwbench::net::HttpParser::Kind::kResponse, true};
};

// Polls GET `path` on fresh connections until it answers 200 or `timeout` passes.
bool WaitFor200(int port, const std::string& path, std::chrono::seconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    Client client(port);
    if (client.connected() && client.Get(path) && client.response().status() == 200) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

TEST(Serve, KeepAliveWithServerDateAndContentLength) {
  ServerProcess server(1);
  ASSERT_GT(server.port(), 0) << "no 'listening on' line";
  Client client(server.port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Get("/list_body")) << "request " << i << " on the same connection";
    const auto& r = client.response();
    EXPECT_EQ(r.status(), 200);
    EXPECT_TRUE(r.keep_alive());
    EXPECT_EQ(r.body(), "one two");
    EXPECT_EQ(r.header("Content-Length"), "7");
    EXPECT_EQ(r.header("X-Test"), "list");
    EXPECT_FALSE(r.header("Server").empty());
    EXPECT_EQ(r.header("Date").size(), 29u) << r.header("Date");
  }
  ASSERT_TRUE(client.Get("/raises"));
  EXPECT_EQ(client.response().status(), 500) << "an exception is a 500, the worker lives on";
  ASSERT_TRUE(client.Get("/list_body"));
  EXPECT_EQ(client.response().status(), 200);
  EXPECT_EQ(server.Terminate(), 0);
}

TEST(Serve, RefusesAPortInUse) {
  fwbench::Fd taken = fwbench::net::ListenTcp(fwbench::net::Resolve("127.0.0.1", 0));
  fwbench::embed::ServeOptions options;
  options.app = fwbench::launch::TargetEntry("wsgi_conformance:app",
                                             {fwbench::embed::testing::ConformanceDir()}, "test");
  options.port = fwbench::net::LocalPort(taken.get());
  try {
    fwbench::embed::Serve(options);
    FAIL() << "Serve bound a port that is in use";
  } catch (const fwbench::Error& e) {
    EXPECT_NE(std::string(e.what()).find("in use"), std::string::npos) << e.what();
  }
}

TEST(Serve, CrashedWorkerIsReplaced) {
  ServerProcess server(1);
  ASSERT_GT(server.port(), 0);
  Client first(server.port());
  ASSERT_TRUE(first.Get("/pid"));
  std::string old_pid = first.response().body();
  Client crasher(server.port());
  EXPECT_FALSE(crasher.Get("/crash")) << "os._exit drops the connection";
  ASSERT_TRUE(WaitFor200(server.port(), "/pid", 30s)) << "no replacement worker";
  Client after(server.port());
  ASSERT_TRUE(after.Get("/pid"));
  EXPECT_NE(after.response().body(), old_pid);
  EXPECT_FALSE(Exists(std::stoi(old_pid)));
  EXPECT_EQ(ChildrenOf(server.pid()).size(), 1u);
  EXPECT_EQ(server.Terminate(), 0);
}

TEST(Serve, CleanShutdownLeavesNoProcessBehind) {
  ServerProcess server(2);
  ASSERT_GT(server.port(), 0);
  std::set<pid_t> workers = ChildrenOf(server.pid());
  ASSERT_EQ(workers.size(), 2u);
  Client idle(server.port());  // an idle keep-alive connection must not hold the drain up
  ASSERT_TRUE(idle.Get("/list_body"));
  auto start = std::chrono::steady_clock::now();
  int status = server.Terminate();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s) << "drain waited for the idle client";
  for (pid_t pid : workers) EXPECT_FALSE(Exists(pid)) << "worker " << pid << " survived";
  EXPECT_TRUE(ChildrenOf(server.pid()).empty());
}

TEST(Serve, DrainFinishesTheRequestInFlight) {
  ServerProcess server(1);
  ASSERT_GT(server.port(), 0);
  Client client(server.port());
  ASSERT_TRUE(client.Get("/list_body"));
  std::thread terminate([&] {
    std::this_thread::sleep_for(300ms);
    ::kill(server.pid(), SIGTERM);
  });
  bool answered = client.Get("/slow?1.0");
  terminate.join();
  EXPECT_TRUE(answered);
  EXPECT_EQ(client.response().body(), "slow done");
  EXPECT_FALSE(client.Get("/list_body")) << "a draining worker closes the connection after it";
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
