#include "embed/app_bridge.h"

#include <cstdio>

#include "common/error.h"
#include "embed/wsgi_bridge.h"

namespace fwbench::embed {

ErrorSink StderrSink(std::string prefix) {
  return [prefix = std::move(prefix)](std::string_view text) {
    size_t start = 0;
    while (start < text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::fprintf(stderr, "%s%.*s\n", prefix.c_str(), static_cast<int>(end - start),
                   text.data() + start);
      start = end + 1;
    }
  };
}

std::unique_ptr<AppBridge> LoadAppBridge(const launch::AppEntry& app, const AppSettings& settings,
                                         ServerIdentity server, ErrorSink errors) {
  if (app.interface == "wsgi")
    return std::make_unique<WsgiBridge>(LoadWsgiApp(app, settings), std::move(server),
                                        std::move(errors));
  throw Error("the embedded server has no " + app.interface + " bridge (app \"" + app.name + "\")",
              "frameworks." + app.name + ".interface",
              "serve it with a server of bench/servers.json whose \"interface\" is \"" +
                  app.interface + "\"");
}

}  // namespace fwbench::embed
