#include "embed/python_host.h"

#include <gtest/gtest.h>
#include <pybind11/embed.h>

#include <string>

#include "common/paths.h"
#include "embed_test_support.h"

namespace py = pybind11;

namespace {

std::string Eval(const char* expression) {
  py::dict scope;
  scope["sys"] = py::module_::import("sys");
  scope["os"] = py::module_::import("os");
  return py::str(py::eval(expression, scope)).cast<std::string>();
}

std::string Venv() { return (fwbench::SourceDir() / ".venv").string(); }

TEST(PythonHost, UsesTheVenvPrefix) {
  EXPECT_EQ(Eval("sys.prefix"), Venv());
  EXPECT_EQ(Eval("sys.version_info[:2] == (3, 11)"), "True");
}

TEST(PythonHost, ImportsFlaskFromTheVenvDespiteStrayEnvironment) {
  // PYTHONPATH, PYTHONHOME and the current directory all hold a fake flask (see main).
  std::string file = py::module_::import("flask").attr("__file__").cast<std::string>();
  EXPECT_EQ(file.rfind(Venv() + "/lib/python3.11/site-packages/flask/", 0), 0u) << file;
  EXPECT_FALSE(py::hasattr(py::module_::import("flask"), "STRAY"));
  std::string django = py::module_::import("django").attr("__file__").cast<std::string>();
  EXPECT_EQ(django.rfind(Venv() + "/", 0), 0u) << django;
}

TEST(PythonHost, NeitherCwdNorPythonPathIsOnSysPath) {
  std::string stray = fwbench::embed::testing::StrayDir().string();
  py::list path = py::module_::import("sys").attr("path");
  for (py::handle entry : path) {
    std::string text = entry.cast<std::string>();
    EXPECT_NE(text, "");
    EXPECT_NE(text, ".");
    EXPECT_EQ(text.find(stray), std::string::npos) << text;
  }
  EXPECT_THROW(py::module_::import("stray_marker"), py::error_already_set);
  EXPECT_EQ(Eval("sys.flags.ignore_environment"), "1");
}

TEST(PythonHost, ReportsItsVersion) {
  // The host object lives in main(); a second one in the same process is refused by CPython,
  // so the version is read the same way the host does.
  EXPECT_EQ(Eval("__import__('platform').python_version()").substr(0, 5), "3.11.");
}

}  // namespace
