// The layer stack, the _fwbench_layers module (in the embedded interpreter the test main
// starts), the callgrind dump reader and the fwbench.layers/1 document.
#include <gtest/gtest.h>
#include <pybind11/eval.h>

#include "common/error.h"
#include "embed/callgrind_dumps.h"
#include "embed/layer_module.h"
#include "embed/layer_stack.h"
#include "embed/layers_callgrind.h"
#include "embed/layers_timing.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

constexpr int kView = static_cast<int>(Layer::kView);
constexpr int kOrm = static_cast<int>(Layer::kOrm);
constexpr int kDb = static_cast<int>(Layer::kDb);

TEST(LayerNamesTest, TenLayersInDocumentOrder) {
  ASSERT_EQ(LayerNames().size(), static_cast<size_t>(kLayerCount));
  EXPECT_EQ(LayerNames().front(), "server");
  EXPECT_EQ(LayerNames().back(), "response");
  EXPECT_EQ(LayerIndex("orm"), kOrm);
  EXPECT_EQ(LayerIndex("nosuch"), -1);
}

TEST(LayerStackTest, LeavePopsTheLayerAndWhatIsAboveIt) {
  LayerStack stack;
  stack.Arm(kView);
  EXPECT_EQ(stack.Depth(), 1);  // [server]
  stack.Enter(kView);
  stack.Enter(kOrm);
  stack.Enter(kDb);  // a db leave that never came
  stack.Leave(kOrm);
  EXPECT_EQ(stack.Depth(), 2);
  EXPECT_EQ(stack.unbalanced(), 0);
  stack.Leave(kDb);  // not on the stack any more
  EXPECT_EQ(stack.unbalanced(), 1);
  EXPECT_EQ(stack.Depth(), 2);
  stack.Leave(static_cast<int>(Layer::kServer));  // the batch's bottom is never popped
  EXPECT_EQ(stack.Depth(), 2);
  EXPECT_EQ(stack.unbalanced(), 2);
  stack.Truncate(1);
  EXPECT_EQ(stack.Depth(), 1);
  stack.Disarm();
  EXPECT_EQ(stack.Depth(), 0);
}

TEST(LayerStackTest, ScopeRestoresTheDepth) {
  LayerStack stack;
  stack.Arm(LayerStack::kAllLayers);
  {
    LayerScope scope(&stack, Layer::kResponse);
    stack.Enter(kView);
    EXPECT_EQ(stack.Depth(), 3);
  }
  EXPECT_EQ(stack.Depth(), 1);
  LayerScope off(nullptr, Layer::kResponse);  // no stack: nothing happens
  EXPECT_EQ(stack.Depth(), 1);
}

class LayerModuleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_.Arm(LayerStack::kNoLayer);
    module_ = RegisterLayerModule(stack_);
    scope_ = py::dict();
    scope_["L"] = module_;
    // Records the stack depth and top layer seen from inside a marked call.
    py::exec(R"PY(
seen = []
def probe(*args, **kwargs):
    seen.append((L.depth(), args, kwargs))
    return "result"
def boom():
    L.enter(5)  # left open on purpose
    raise KeyError("boom")
class Model:
    def name(self):
        seen.append(L.depth())
        return "model"
)PY",
             scope_);
  }
  void TearDown() override { stack_.Disarm(); }

  LayerStack stack_;
  py::module_ module_;
  py::dict scope_;
};

TEST_F(LayerModuleTest, MarkRunsTheCallInsideTheLayer) {
  py::exec(R"PY(
m = L.mark(probe, 4)
r = m(1, 2, k=3)
)PY",
           scope_);
  EXPECT_EQ(scope_["r"].cast<std::string>(), "result");
  EXPECT_EQ(py::repr(scope_["seen"]).cast<std::string>(), "[(2, (1, 2), {'k': 3})]");
  EXPECT_EQ(stack_.Depth(), 1);
  EXPECT_EQ(py::module_::import("sys").attr("modules")["_fwbench_layers"].ptr(), module_.ptr());
  EXPECT_EQ(module_.attr("LAYERS")[py::int_(6)].cast<std::string>(), "db");
}

TEST_F(LayerModuleTest, AnExceptionPropagatesAndTheDepthIsRestored) {
  py::exec(R"PY(
try:
    L.mark(boom, 4)()
    caught = None
except KeyError as e:
    caught = str(e)
)PY",
           scope_);
  EXPECT_EQ(scope_["caught"].cast<std::string>(), "'boom'");
  EXPECT_EQ(stack_.Depth(), 1);
}

TEST_F(LayerModuleTest, MarkedMethodsBindAndReadAsTheFunction) {
  py::exec(R"PY(
Model.name = L.mark(Model.__dict__["name"], 5)
value = Model().name()
bound = Model().name
via_getattr = getattr(Model(), "name")()
fn_name = Model.name.__name__
)PY",
           scope_);
  EXPECT_EQ(scope_["value"].cast<std::string>(), "model");
  EXPECT_EQ(scope_["via_getattr"].cast<std::string>(), "model");
  EXPECT_EQ(scope_["fn_name"].cast<std::string>(), "name");
  EXPECT_EQ(py::repr(scope_["seen"]).cast<std::string>(), "[2, 2]");
}

TEST_F(LayerModuleTest, SignalPairsAndCallMarked) {
  py::exec(R"PY(
enter_db, leave_db = L.enterer(6), L.leaver(6)
enter_db("sender", statement="x")
inside = L.depth()
leave_db("sender")
after = L.depth()
r = L.call_marked(6)(probe, "sql", many=False)
)PY",
           scope_);
  EXPECT_EQ(scope_["inside"].cast<int>(), 2);
  EXPECT_EQ(scope_["after"].cast<int>(), 1);
  EXPECT_EQ(py::repr(scope_["seen"]).cast<std::string>(), "[(2, ('sql',), {'many': False})]");
  EXPECT_THROW(py::exec("L.mark(probe, 10)", scope_), py::error_already_set);
  EXPECT_THROW(py::exec("L.mark(3, 1)", scope_), py::error_already_set);
}

TEST(CallgrindDumpsTest, ReadsTheLabelAndTotals) {
  std::string dump =
      "# callgrind format\nversion: 1\ncreator: callgrind-3.19.0\npid: 42\n"
      "desc: Trigger: Client Request: fwbench-layers|flask|minimal|json|view\n"
      "events: Ir\nfn=(1) main\n0 5\n\ntotals: 12345\n";
  auto [label, ir] = ParseCallgrindDump(dump, kLayerDumpPrefix, "dump");
  EXPECT_EQ(label, "fwbench-layers|flask|minimal|json|view");
  EXPECT_EQ(ir, 12345u);
  std::string final_dump = "desc: Trigger: Program termination\ntotals: 7\n";
  EXPECT_EQ(ParseCallgrindDump(final_dump, kLayerDumpPrefix, "dump").first, "");
  std::string cut = "desc: Trigger: Client Request: fwbench-layers|a|b|c|d\nfn=(1) x\n";
  EXPECT_THROW(ParseCallgrindDump(cut, kLayerDumpPrefix, "dump"), Error);
}

TEST(LayersDocumentTest, PerRequestLayersAndTheirSum) {
  LayersOptions options;
  options.iterations = 10;
  nlohmann::json worker = {{"python", "3.11.7"},
                           {"versions", {{"flask", "3.1.3"}}},
                           {"results",
                            {{{"framework", "flask"},
                              {"profile", "minimal"},
                              {"route", "json"},
                              {"ok", true},
                              {"unbalanced", 0}}}}};
  std::map<std::string, uint64_t> dumps;
  dumps[LayerDumpLabel("flask", "minimal", "json", "plain")] = 9800;
  dumps[LayerDumpLabel("flask", "minimal", "json", "all")] = 10000;
  for (size_t i = 0; i < LayerNames().size(); ++i) {
    dumps[LayerDumpLabel("flask", "minimal", "json", LayerNames()[i])] = 1000 + (i == 0 ? 10 : 0);
  }
  nlohmann::json doc = BuildLayersDocument(options, worker, dumps, "valgrind-3.19.0");
  EXPECT_EQ(doc["schema"], "fwbench.layers/1");
  const auto& row = doc["results"][0];
  EXPECT_EQ(row["total_instructions"], 980);
  EXPECT_EQ(row["instrumented_instructions"], 1000);
  EXPECT_EQ(row["layer_sum_instructions"], 1001);
  EXPECT_EQ(row["layers"]["server"]["instructions"], 101);
  EXPECT_EQ(row["layers"]["view"]["instructions"], 100);
  EXPECT_TRUE(row["layers"]["view"]["ns"].is_null());
  EXPECT_TRUE(row["total_ns"].is_null());
  EXPECT_NEAR(row["hook_overhead"].get<double>(), 10010.0 / 9800 - 1, 1e-12);
  EXPECT_NEAR(row["attribution_gap"].get<double>(), 0.001, 1e-12);
  EXPECT_TRUE(AllLayerRowsOk(doc));
  dumps.erase(LayerDumpLabel("flask", "minimal", "json", "orm"));
  EXPECT_THROW(BuildLayersDocument(options, worker, dumps, ""), Error);
}

TEST(LayersDocumentTest, ThreadCpuFieldsAreTheMediansOfTheBatches) {
  LayersOptions options;
  options.iterations = 10;
  nlohmann::json row_in = {{"framework", "flask"},
                           {"profile", "minimal"},
                           {"route", "json"},
                           {"ok", true},
                           {"unbalanced", 0}};
  nlohmann::json worker = {{"python", "3.11.7"}, {"results", {row_in}}};
  std::map<std::string, uint64_t> dumps;
  for (const char* what : {"plain", "all"})
    dumps[LayerDumpLabel("flask", "minimal", "json", what)] = 100;
  for (const auto& name : LayerNames())
    dumps[LayerDumpLabel("flask", "minimal", "json", name)] = 10;
  nlohmann::json layers = nlohmann::json::object();
  for (const auto& name : LayerNames()) layers[name] = {1.0, 3.0, 2.0};
  layers["view"] = {50.0, 10.0, 30.0};
  nlohmann::json timed = row_in;
  timed["thread_cpu"] = {{"calls_per_batch", 500},
                         {"plain", {100.0, 120.0, 90.0}},
                         {"instrumented", {140.0, 150.0, 130.0}},
                         {"layer_sum", {99.0, 110.0, 104.0}},
                         {"layers", layers},
                         {"clock_read_ns", 351.4},
                         {"clock_reads_per_request", 12.0}};
  nlohmann::json timing = {{"results", {timed}}};
  nlohmann::json doc = BuildLayersDocument(options, worker, dumps, "valgrind", &timing);
  const auto& row = doc["results"][0];
  EXPECT_EQ(row["total_ns"], 100);
  EXPECT_EQ(row["instrumented_ns"], 140);
  EXPECT_EQ(row["layer_sum_ns"], 104);
  // The median of the pairs' ratios (99/100, 110/120, 104/90), not of the medians (104/100).
  EXPECT_NEAR(row["hook_overhead_ns"].get<double>(), 99.0 / 100 - 1, 1e-12);
  EXPECT_EQ(row["layers"]["view"]["ns"], 30);
  EXPECT_EQ(row["layers"]["server"]["ns"], 2);
  EXPECT_EQ(row["layers"]["view"]["instructions"], 1);
  EXPECT_EQ(row["thread_cpu"]["batches"], 3);
  EXPECT_EQ(row["thread_cpu"]["clock_read_ns"], 351.0);
  EXPECT_FALSE(doc["config"]["ns_unit"].is_null());
  // A row the thread-CPU pass did not time keeps null ns fields.
  timing["results"][0]["route"] = "db";
  doc = BuildLayersDocument(options, worker, dumps, "valgrind", &timing);
  EXPECT_TRUE(doc["results"][0]["total_ns"].is_null());
}

TEST(LayersDocumentTest, TheMarkersOwnCostIsSubtractedByEachLayersShareOfTheIntervals) {
  LayersOptions options;
  options.iterations = 10;
  nlohmann::json row_in = {{"framework", "django"},
                           {"profile", "minimal"},
                           {"route", "db"},
                           {"ok", true},
                           {"unbalanced", 0}};
  nlohmann::json worker = {{"python", "3.11.7"}, {"results", {row_in}}};
  std::map<std::string, uint64_t> dumps;
  for (const char* what : {"plain", "all"})
    dumps[LayerDumpLabel("django", "minimal", "db", what)] = 100;
  for (const auto& name : LayerNames())
    dumps[LayerDumpLabel("django", "minimal", "db", name)] = 10;
  nlohmann::json layers = nlohmann::json::object();
  for (const auto& name : LayerNames()) layers[name] = {0.0, 0.0, 0.0};
  layers["view"] = {50.0, 60.0, 45.0};
  layers["server"] = {62.0, 68.0, 56.0};
  // Two charged intervals each for view and server, none elsewhere: each takes half of what
  // the markers cost in that pair.
  std::vector<double> reads(LayerNames().size(), 0.0);
  reads[LayerIndex("view")] = 2;
  reads[LayerIndex("server")] = 2;
  nlohmann::json timed = row_in;
  timed["thread_cpu"] = {{"calls_per_batch", 500},
                         {"plain", {100.0, 120.0, 90.0}},
                         {"untimed", {110.0, 126.0, 99.0}},  // the markers: 10, 6, 9 ns
                         {"instrumented", {140.0, 150.0, 130.0}},
                         {"layer_sum", {112.0, 128.0, 101.0}},
                         {"layer_reads", {reads, reads, reads}},
                         {"layers", layers},
                         {"clock_read_ns", 300.0},
                         {"clock_reads_per_request", 4.0}};
  nlohmann::json timing = {{"results", {timed}}};
  nlohmann::json doc = BuildLayersDocument(options, worker, dumps, "valgrind", &timing);
  const auto& row = doc["results"][0];
  EXPECT_EQ(row["layers"]["view"]["ns"], 45);    // median of 45, 57, 40.5
  EXPECT_EQ(row["layers"]["server"]["ns"], 57);  // median of 57, 65, 51.5
  EXPECT_EQ(row["layers"]["orm"]["ns"], 0);
  EXPECT_EQ(row["marker_ns"], 9);
  EXPECT_EQ(row["layer_sum_ns"], 102);  // median of 102, 122, 92
  // What is left pair by pair: 102/100, 122/120, 92/90; the median is 1.02.
  EXPECT_NEAR(row["hook_overhead_ns"].get<double>(), 0.02, 1e-12);
}

TEST(LayerStackTest, TimingChargesEachIntervalToTheLayerOnTop) {
  LayerStack stack;
  stack.SetTiming(true);
  stack.Arm(LayerStack::kAllLayers);  // [server]
  stack.Enter(kView);                 // charges server
  stack.Enter(kOrm);                  // charges view
  stack.Enter(kDb);                   // charges orm
  stack.Leave(kDb);                   // charges db
  stack.Leave(kDb);                   // not on the stack: no change, nothing charged
  stack.Truncate(1);                  // charges orm again (view and orm popped)
  stack.Truncate(1);                  // no change
  stack.Disarm();                     // charges server
  const LayerTimes& times = stack.times();
  EXPECT_EQ(times.reads[0], 2);
  EXPECT_EQ(times.reads[kView], 1);
  EXPECT_EQ(times.reads[kOrm], 2);
  EXPECT_EQ(times.reads[kDb], 1);
  int64_t reads = 0;
  for (int layer = 0; layer < kLayerCount; ++layer) {
    EXPECT_GE(times.ns[layer], 0) << LayerNames()[layer];
    reads += times.reads[layer];
  }
  EXPECT_EQ(reads, 6);
  stack.ResetTimes();
  EXPECT_EQ(stack.times().reads[0], 0);
  // Timing off (the callgrind batches): nothing is charged.
  stack.SetTiming(false);
  stack.Arm(LayerStack::kAllLayers);
  stack.Enter(kView);
  stack.Disarm();
  EXPECT_EQ(stack.times().reads[0] + stack.times().reads[kView], 0);
}

TEST(LayersTimingTest, CallsPerBatchAimAtTheBatchTimeWithinBounds) {
  EXPECT_EQ(CallsPerBatch(100'000'000, 100, 0.2), 200);  // 1 ms a call
  EXPECT_EQ(CallsPerBatch(1'000'000'000, 10, 0.2), 5);   // 100 ms a call: at least 5
  EXPECT_EQ(CallsPerBatch(100, 100, 0.2), 100000);       // 1 ns a call: at most 100000
  EXPECT_EQ(CallsPerBatch(0, 0, 0.2), 100000);
  EXPECT_GT(MeasureClockReadNs(), 0.0);
}

}  // namespace
}  // namespace fwbench::embed
