// Writes the report of the fixture results into argv[1] (the render check's input), with the
// layers section (the example layers document and the flame graphs fixture).
#include <cstdio>

#include "common/error.h"
#include "report/report.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const std::filesystem::path root = FWBENCH_TEST_SOURCE_DIR;
  fwbench::report::ReportOptions o;
  o.results = {root / "tests/fixtures/results/fixture-a.json"};
  o.appsize = root / "tests/fixtures/results/appsize-fixture.json";
  o.layers = root / "tests/fixtures/results/layers-example.json";
  o.flamegraphs = root / "tests/fixtures/results/flamegraphs-fixture.json";
  o.out = argv[1];
  o.root = root;
  try {
    std::printf("%s\n", fwbench::report::GenerateReport(o).html.c_str());
  } catch (const fwbench::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
