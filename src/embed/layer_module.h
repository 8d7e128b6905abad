#pragma once
// `_fwbench_layers`: the Python face of the layer markers, registered in sys.modules by
// `fwbench inproc --layers` only. apps/common/fwbench_layers imports it to mark the
// frameworks' boundaries. Everything is C, so a marked call costs a few hundred instructions
// rather than a Python frame:
//   LAYERS                 tuple of layer names, index = the int every function takes
//   enter(i), leave(i)     push / pop a layer
//   mark(fn, i)            a callable that runs fn(*args, **kwargs) inside layer i; also a
//                          method descriptor, so it can replace a function on a class;
//                          its attributes are fn's
//   call_marked(i)         a callable c(f, *args) -> f(*args) inside layer i (for hooks that
//                          pass the next callable, e.g. Django's execute_wrapper)
//   enterer(i), leaver(i)  callables that ignore their arguments and enter / leave layer i
//                          (for signal pairs such as before/after_cursor_execute)
//   depth()                the stack depth
#include <pybind11/pybind11.h>

#include "embed/layer_stack.h"

namespace fwbench::embed {

// Creates the module over `stack` (which must outlive every use of it) and puts it in
// sys.modules as "_fwbench_layers". Needs the GIL.
pybind11::module_ RegisterLayerModule(LayerStack& stack);

}  // namespace fwbench::embed
