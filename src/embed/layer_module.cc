#include "embed/layer_module.h"

#include <structmember.h>

#include <cstddef>

namespace py = pybind11;

namespace fwbench::embed {
namespace {

enum class MarkKind : int { kCall, kCallFirst, kEnter, kLeave };

struct Marked {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject* fn;  // kCall only; owned
  PyObject* weakrefs;  // listeners registries (SQLAlchemy's events) keep weak references
  LayerStack* stack;
  int layer;
  MarkKind kind;
};

PyObject* MarkedVectorcall(PyObject* self_obj, PyObject* const* args, size_t nargsf,
                           PyObject* kwnames) {
  auto* self = reinterpret_cast<Marked*>(self_obj);
  LayerStack* stack = self->stack;
  switch (self->kind) {
    case MarkKind::kEnter:
      fwbench_layer_enter(stack, self->layer);
      Py_RETURN_NONE;
    case MarkKind::kLeave:
      fwbench_layer_leave(stack, self->layer);
      Py_RETURN_NONE;
    case MarkKind::kCall: {
      int depth = stack->Depth();
      fwbench_layer_enter(stack, self->layer);
      PyObject* result = PyObject_Vectorcall(self->fn, args, nargsf, kwnames);
      stack->Truncate(depth);
      return result;
    }
    case MarkKind::kCallFirst: {
      Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
      if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "call_marked: the first argument must be a callable");
        return nullptr;
      }
      int depth = stack->Depth();
      fwbench_layer_enter(stack, self->layer);
      PyObject* result = PyObject_Vectorcall(args[0], args + 1, nargs - 1, kwnames);
      stack->Truncate(depth);
      return result;
    }
  }
  return nullptr;
}

// A method descriptor: Class.attr gives the marked object, instance.attr a bound method.
PyObject* MarkedDescrGet(PyObject* self, PyObject* obj, PyObject* /*type*/) {
  if (obj == nullptr || obj == Py_None) {
    Py_INCREF(self);
    return self;
  }
  return PyMethod_New(self, obj);
}

// A marked function reads as the function it wraps: every attribute (__name__, __code__,
// csrf_exempt, ...) comes from fn, so introspection costs what it cost on fn (raising one
// AttributeError where fn would, not two).
PyObject* MarkedGetAttr(PyObject* self_obj, PyObject* name) {
  auto* self = reinterpret_cast<Marked*>(self_obj);
  if (self->fn) return PyObject_GetAttr(self->fn, name);
  return PyObject_GenericGetAttr(self_obj, name);
}

void MarkedDealloc(PyObject* self_obj) {
  auto* self = reinterpret_cast<Marked*>(self_obj);
  PyTypeObject* type = Py_TYPE(self_obj);
  if (self->weakrefs) PyObject_ClearWeakRefs(self_obj);
  Py_XDECREF(self->fn);
  type->tp_free(self_obj);
  Py_DECREF(type);
}

PyMemberDef kMarkedMembers[] = {
    {"__vectorcalloffset__", T_PYSSIZET, offsetof(Marked, vectorcall), READONLY, nullptr},
    {"__weaklistoffset__", T_PYSSIZET, offsetof(Marked, weakrefs), READONLY, nullptr},
    {nullptr, 0, 0, 0, nullptr}};

PyType_Slot kMarkedSlots[] = {{Py_tp_dealloc, reinterpret_cast<void*>(MarkedDealloc)},
                              {Py_tp_call, reinterpret_cast<void*>(PyVectorcall_Call)},
                              {Py_tp_descr_get, reinterpret_cast<void*>(MarkedDescrGet)},
                              {Py_tp_getattro, reinterpret_cast<void*>(MarkedGetAttr)},
                              {Py_tp_members, kMarkedMembers},
                              {0, nullptr}};

PyType_Spec kMarkedSpec = {
    "_fwbench_layers.Marked", sizeof(Marked), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_METHOD_DESCRIPTOR,
    kMarkedSlots};

int CheckedLayer(int layer) {
  if (layer < 0 || layer >= kLayerCount) {
    throw py::value_error("layer " + std::to_string(layer) + " is not in 0.." +
                          std::to_string(kLayerCount - 1) + " (see _fwbench_layers.LAYERS)");
  }
  return layer;
}

py::object NewMarked(const py::object& type, LayerStack& stack, int layer, MarkKind kind,
                     PyObject* fn) {
  auto* tp = reinterpret_cast<PyTypeObject*>(type.ptr());
  auto* self = reinterpret_cast<Marked*>(tp->tp_alloc(tp, 0));
  if (!self) throw py::error_already_set();
  self->vectorcall = MarkedVectorcall;
  self->stack = &stack;
  self->layer = CheckedLayer(layer);
  self->kind = kind;
  Py_XINCREF(fn);
  self->fn = fn;
  self->weakrefs = nullptr;
  return py::reinterpret_steal<py::object>(reinterpret_cast<PyObject*>(self));
}

}  // namespace

py::module_ RegisterLayerModule(LayerStack& stack) {
  py::module_ module = py::module_::create_extension_module(
      "_fwbench_layers", "Layer markers of fwbench inproc --layers (src/embed/layer_module.h)",
      new py::module_::module_def);
  py::object type =
      py::reinterpret_steal<py::object>(PyType_FromSpec(&kMarkedSpec));
  if (!type) throw py::error_already_set();
  module.attr("Marked") = type;
  py::tuple names(kLayerCount);
  for (int i = 0; i < kLayerCount; ++i) names[i] = LayerNames()[i];
  module.attr("LAYERS") = names;
  LayerStack* s = &stack;
  // enter/leave are Marked objects too: a C call with no argument parsing.
  module.attr("enterer") = py::cpp_function(
      [s, type](int layer) { return NewMarked(type, *s, layer, MarkKind::kEnter, nullptr); });
  module.attr("leaver") = py::cpp_function(
      [s, type](int layer) { return NewMarked(type, *s, layer, MarkKind::kLeave, nullptr); });
  module.attr("enter") = py::cpp_function([s](int layer) { s->Enter(CheckedLayer(layer)); });
  module.attr("leave") = py::cpp_function([s](int layer) { s->Leave(CheckedLayer(layer)); });
  module.attr("mark") = py::cpp_function([s, type](py::object fn, int layer) {
    if (!PyCallable_Check(fn.ptr())) throw py::type_error("mark: fn is not callable");
    return NewMarked(type, *s, layer, MarkKind::kCall, fn.ptr());
  });
  module.attr("call_marked") = py::cpp_function(
      [s, type](int layer) { return NewMarked(type, *s, layer, MarkKind::kCallFirst, nullptr); });
  module.attr("depth") = py::cpp_function([s] { return s->Depth(); });
  py::module_::import("sys").attr("modules")["_fwbench_layers"] = module;
  return module;
}

}  // namespace fwbench::embed
