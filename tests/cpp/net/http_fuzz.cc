// libFuzzer target: the HTTP parser wrapper on arbitrary bytes, as responses and requests,
// split at a point the input chooses, with and without collection, then EOF.
// Built with clang (-fsanitize=fuzzer,address,undefined) by tests/cpp/net/CMakeLists.txt.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/http.h"

namespace {

void Drive(fwbench::net::HttpParser& p, std::string_view input) {
  while (!input.empty()) {
    const auto step = p.Feed(input);
    if (step.error) return;
    if (step.consumed == 0 && !step.complete) return;
    input.remove_prefix(step.consumed);
    if (step.complete) (void)p.status(), (void)p.keep_alive(), (void)p.body_bytes();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const size_t split = data[0] % size;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string_view a = input.substr(0, split),
                         b = input.substr(std::min(split, input.size()));
  using Kind = fwbench::net::HttpParser::Kind;
  for (Kind kind : {Kind::kResponse, Kind::kRequest}) {
    for (bool collect : {false, true}) {
      fwbench::net::HttpParser p(kind, collect);
      p.SetSkipBody(data[0] & 1);
      Drive(p, a);
      Drive(p, b);
      p.FinishAtEof();
      (void)p.header("content-length");
    }
  }
  return 0;
}
