#include "embed/wsgi_bridge.h"

#include <gtest/gtest.h>
#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <nlohmann/json.hpp>
#include <string>

#include "common/error.h"
#include "embed/app_bridge.h"
#include "embed/app_loader.h"
#include "embed_test_support.h"

namespace py = pybind11;
using fwbench::embed::WsgiBridge;
using fwbench::embed::WsgiRequest;
using fwbench::embed::WsgiResponse;

namespace {

// One bridge over tests/cpp/embed/wsgi_conformance.py:app, capturing the error sink.
class Bridge : public ::testing::Test {
 protected:
  void SetUp() override {
    auto spec = fwbench::launch::TargetEntry("wsgi_conformance:app",
                                             {fwbench::embed::testing::ConformanceDir()}, "test");
    fwbench::embed::ServerIdentity server{"127.0.0.1", 8123, true, "fwbench-test"};
    bridge_ = std::make_unique<WsgiBridge>(fwbench::embed::LoadWsgiApp(spec, {}), server,
                                           [this](std::string_view text) { log_ += text; });
    module_ = py::module_::import("wsgi_conformance");
    module_.attr("CLOSED").attr("clear")();
  }

  WsgiResponse Get(const std::string& target) {
    WsgiRequest request;
    request.target = target;
    request.headers = {{"Host", "example.test"}};
    return bridge_->Call(request);
  }

  std::vector<std::string> Closed() {
    return module_.attr("CLOSED").cast<std::vector<std::string>>();
  }

  py::module_ module_;
  std::unique_ptr<WsgiBridge> bridge_;
  std::string log_;
};

// Header keys are cached per spelling; a later request with other spellings and headers must
// still get exactly its own keys, and nothing from the earlier request.
TEST_F(Bridge, EnvironKeysAreFreshPerRequestAcrossSpellings) {
  WsgiRequest first;
  first.method = "GET";
  first.target = "/environ_dump";
  first.headers = {{"Host", "a.test"}, {"X-Only-First", "1"}, {"content-type", "text/plain"}};
  ASSERT_EQ(bridge_->Call(first).status, 200) << log_;
  WsgiRequest second;
  second.method = "GET";
  second.target = "/environ_dump";
  second.headers = {{"HOST", "b.test"}, {"host", "c.test"}, {"Content-Length", "0"}};
  WsgiResponse response = bridge_->Call(second);
  ASSERT_EQ(response.status, 200) << log_;
  auto env = nlohmann::json::parse(response.body);
  EXPECT_EQ(env["HTTP_HOST"], "b.test,c.test");
  EXPECT_EQ(env["CONTENT_LENGTH"], "0");
  EXPECT_FALSE(env.contains("HTTP_X_ONLY_FIRST"));
  EXPECT_FALSE(env.contains("CONTENT_TYPE"));
  EXPECT_FALSE(env.contains("HTTP_CONTENT_LENGTH"));
}

TEST_F(Bridge, EnvironHasEveryRequiredKey) {
  WsgiRequest request;
  request.method = "POST";
  request.target = "/environ_dump?a=1&b=%20x";
  request.headers = {{"Host", "h.test:8123"},   {"Content-Type", "application/json"},
                     {"Content-Length", "7"},   {"X-Custom-Thing", "one"},
                     {"x-custom-thing", "two"}, {"Cookie", "a=1"},
                     {"Cookie", "b=2"}};
  request.body = "{\"a\":1}";
  request.remote_port = 5555;
  WsgiResponse response = bridge_->Call(request);
  ASSERT_EQ(response.status, 200) << log_;
  auto env = nlohmann::json::parse(response.body);
  EXPECT_EQ(env["REQUEST_METHOD"], "POST");
  EXPECT_EQ(env["SCRIPT_NAME"], "");
  EXPECT_EQ(env["PATH_INFO"], "/environ_dump");
  EXPECT_EQ(env["QUERY_STRING"], "a=1&b=%20x");
  EXPECT_EQ(env["CONTENT_TYPE"], "application/json");
  EXPECT_EQ(env["CONTENT_LENGTH"], "7");
  EXPECT_EQ(env["SERVER_NAME"], "127.0.0.1");
  EXPECT_EQ(env["SERVER_PORT"], "8123");
  EXPECT_EQ(env["SERVER_PROTOCOL"], "HTTP/1.1");
  EXPECT_EQ(env["HTTP_HOST"], "h.test:8123");
  EXPECT_EQ(env["HTTP_X_CUSTOM_THING"], "one,two");
  EXPECT_EQ(env["HTTP_COOKIE"], "a=1; b=2");
  EXPECT_EQ(env["REMOTE_ADDR"], "127.0.0.1");
  EXPECT_EQ(env["REMOTE_PORT"], "5555");
  EXPECT_FALSE(env.contains("HTTP_CONTENT_TYPE"));
  EXPECT_EQ(env["wsgi.version"], nlohmann::json::array({1, 0}));
  EXPECT_EQ(env["wsgi.url_scheme"], "http");
  EXPECT_EQ(env["wsgi.multithread"], false);
  EXPECT_EQ(env["wsgi.multiprocess"], true);
  EXPECT_EQ(env["wsgi.run_once"], false);
  EXPECT_EQ(env["wsgi.input"], "BytesIO");
  EXPECT_EQ(env["wsgi.input.read"], "{\"a\":1}");
  EXPECT_EQ(env["wsgi.errors"], "ErrorStream");
  EXPECT_EQ(env["wsgi.file_wrapper"], "type");
}

TEST_F(Bridge, PathInfoIsPercentDecoded) {
  WsgiResponse response = Get("/environ%5Fdump");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(nlohmann::json::parse(response.body)["PATH_INFO"], "/environ_dump");
  EXPECT_EQ(fwbench::embed::PercentDecode("/a%2Fb%zz%4"), "/a/b%zz%4");
}

TEST_F(Bridge, ListBodyKeepsStatusHeadersAndOrder) {
  WsgiResponse response = Get("/list_body");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.status_line, "200 OK");
  ASSERT_EQ(response.headers.size(), 2u);
  EXPECT_EQ(response.headers[1].first, "X-Test");
  EXPECT_EQ(response.body, "one two");
  EXPECT_FALSE(response.app_failed);
}

TEST_F(Bridge, IterableBodyIsDrainedAndClosed) {
  WsgiResponse response = Get("/generator_body");
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "abc");
  EXPECT_EQ(Closed(), std::vector<std::string>{"generator"});
}

TEST_F(Bridge, StartResponseMayBeCalledLazilyByAGenerator) {
  WsgiResponse response = Get("/real_generator");
  EXPECT_EQ(response.status, 200) << log_;
  EXPECT_EQ(response.body, "lazy start");
}

TEST_F(Bridge, FileWrapperBodyIsReadWhole) {
  WsgiResponse response = Get("/file_wrapper_body");
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(response.body.size(), 25600u);
  EXPECT_EQ(static_cast<unsigned char>(response.body[255]), 255);
}

TEST_F(Bridge, WriteCallableComesBeforeTheIterable) {
  EXPECT_EQ(Get("/write_callable").body, "written returned");
}

TEST_F(Bridge, ExcInfoBeforeBodyReplacesTheStatus) {
  WsgiResponse response = Get("/exc_info_before_body");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.headers.at(0).first, "Retry-After");
  EXPECT_EQ(response.body, "recovered");
  EXPECT_FALSE(response.app_failed);
}

TEST_F(Bridge, ExcInfoAfterBodyReraisesAndCloses) {
  WsgiResponse response = Get("/exc_info_after_body");
  EXPECT_EQ(response.status, 500);
  EXPECT_TRUE(response.app_failed);
  EXPECT_NE(log_.find("too late"), std::string::npos) << log_;
  EXPECT_EQ(Closed(), std::vector<std::string>{"after_body"});
}

TEST_F(Bridge, ProtocolViolationsBecome500) {
  for (const char* target : {"/start_twice", "/never_starts", "/str_body", "/bad_headers"}) {
    log_.clear();
    WsgiResponse response = Get(target);
    EXPECT_EQ(response.status, 500) << target;
    EXPECT_TRUE(response.app_failed) << target;
    EXPECT_NE(log_.find("Error: "), std::string::npos) << target << ": " << log_;
  }
}

TEST_F(Bridge, ExceptionBecomes500WithTracebackAndTheBridgeLivesOn) {
  WsgiResponse failed = Get("/raises");
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.status_line, "500 Internal Server Error");
  EXPECT_NE(log_.find("KeyError: 'raised on purpose'"), std::string::npos) << log_;
  EXPECT_NE(log_.find("/raises"), std::string::npos) << log_;
  EXPECT_EQ(Get("/list_body").status, 200);
}

TEST_F(Bridge, CloseRunsWhenIterationFails) {
  EXPECT_EQ(Get("/iteration_fails").status, 500);
  EXPECT_EQ(Closed(), std::vector<std::string>{"iteration_fails"});
}

TEST_F(Bridge, CloseThatRaisesIs500) {
  EXPECT_EQ(Get("/close_fails").status, 500);
  EXPECT_EQ(Closed(), std::vector<std::string>{"close_fails"});
  EXPECT_NE(log_.find("close failed on purpose"), std::string::npos);
}

TEST_F(Bridge, WsgiErrorsIsCaptured) {
  WsgiResponse response = Get("/writes_errors");
  EXPECT_EQ(response.status, 204);
  EXPECT_EQ(log_, "first line\nsecond line\n");
}

TEST_F(Bridge, RequestBodyReachesWsgiInput) {
  WsgiRequest request;
  request.method = "POST";
  request.target = "/echo_input";
  std::string big(100000, 'x');
  request.headers = {{"Content-Type", "application/json"},
                     {"Content-Length", std::to_string(big.size())}};
  request.body = big;
  WsgiResponse response = bridge_->Call(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, big);
}

TEST(AppLoader, UnknownSpecIsAClearError) {
  EXPECT_THROW(fwbench::launch::TargetEntry("no-such-framework", {}, "test"), fwbench::Error);
  auto spec = fwbench::launch::TargetEntry("no_such_module_xyz:app", {}, "test");
  try {
    fwbench::embed::LoadWsgiApp(spec, {});
    FAIL() << "expected an error";
  } catch (const fwbench::Error& e) {
    EXPECT_NE(std::string(e.what()).find("ModuleNotFoundError"), std::string::npos) << e.what();
  }
}

// The server worker's seam: an entry's interface picks the bridge; "wsgi" gives the PEP 3333
// bridge behind AppBridge, "asgi" (no bridge yet) a clear error naming the entry's field.
TEST(AppBridgeSeam, TheInterfacePicksTheBridge) {
  auto spec = fwbench::launch::TargetEntry("wsgi_conformance:app",
                                           {fwbench::embed::testing::ConformanceDir()}, "test");
  std::unique_ptr<fwbench::embed::AppBridge> bridge =
      fwbench::embed::LoadAppBridge(spec, {}, {}, [](std::string_view) {});
  EXPECT_NE(dynamic_cast<WsgiBridge*>(bridge.get()), nullptr);
  fwbench::embed::AppRequest request;
  request.target = "/list_body";
  request.headers = {{"Host", "example.test"}};
  fwbench::embed::AppResponse response = bridge->Call(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.body.empty());

  spec.name = "starlette";
  spec.interface = "asgi";
  try {
    fwbench::embed::LoadAppBridge(spec, {}, {}, [](std::string_view) {});
    FAIL() << "expected an error";
  } catch (const fwbench::Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no asgi bridge"), std::string::npos) << what;
    EXPECT_NE(what.find("frameworks.starlette.interface"), std::string::npos) << what;
  }
}

}  // namespace
