#pragma once
// Turns a caught Python exception into the text Python itself would print.
#include <pybind11/pybind11.h>

#include <string>

namespace fwbench::embed {

// "Traceback (most recent call last): ..." for `error`, as traceback.format_exception gives
// it; falls back to error.what() when formatting itself fails. Needs the GIL.
std::string FormatPythonError(const pybind11::error_already_set& error);

}  // namespace fwbench::embed
