#include "embed/python_error.h"

namespace py = pybind11;

namespace fwbench::embed {

std::string FormatPythonError(const py::error_already_set& error) {
  auto or_none = [](const py::object& o) -> py::object { return o ? o : py::none(); };
  try {
    py::list lines = py::module_::import("traceback")
                         .attr("format_exception")(or_none(error.type()), or_none(error.value()),
                                                   or_none(error.trace()));
    std::string text;
    for (py::handle line : lines) text += line.cast<std::string>();
    return text;
  } catch (py::error_already_set&) {
    return std::string(error.what()) + "\n";
  }
}

}  // namespace fwbench::embed
