#include "embed/wsgi_bridge.h"

#include <pybind11/eval.h>

#include "common/error.h"
#include "embed/layer_stack.h"
#include "embed/python_error.h"

namespace py = pybind11;

namespace fwbench::embed {
namespace {

// wsgi.errors and wsgi.file_wrapper, defined in Python: both are called from app code only.
constexpr const char* kSupportSource = R"PY(
class ErrorStream:
    """wsgi.errors: text the app writes is kept until the host drains it."""
    def __init__(self):
        self.parts = []
    def write(self, s):
        self.parts.append(s)
        return len(s)
    def writelines(self, seq):
        for s in seq:
            self.write(s)
    def flush(self):
        pass

class FileWrapper:
    """wsgi.file_wrapper, as PEP 3333 sketches it: iterates a file in blocks."""
    def __init__(self, filelike, blksize=8192):
        self.filelike = filelike
        self.blksize = blksize
        if hasattr(filelike, 'close'):
            self.close = filelike.close
    def __iter__(self):
        return self
    def __next__(self):
        data = self.filelike.read(self.blksize)
        if data:
            return data
        raise StopIteration
)PY";

[[noreturn]] void RaisePython(PyObject* type, const std::string& message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

std::string Utf8(PyObject* text) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text, &size);
  if (!data) throw py::error_already_set();
  return std::string(data, static_cast<size_t>(size));
}

// "HTTP_" + upper-cased name with '-' turned into '_'.
std::string EnvironHeaderKey(std::string_view name) {
  std::string key = "HTTP_";
  key.reserve(5 + name.size());
  for (char c : name) {
    if (c == '-') c = '_';
    key.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c));
  }
  return key;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
  }
  return true;
}

void SetLatin1(PyObject* dict, PyObject* key, std::string_view value) {
  py::object text = py::reinterpret_steal<py::object>(
      PyUnicode_DecodeLatin1(value.data(), static_cast<Py_ssize_t>(value.size()), nullptr));
  if (!text || PyDict_SetItem(dict, key, text.ptr()) != 0) throw py::error_already_set();
}

py::object Intern(const char* text) {
  PyObject* key = PyUnicode_InternFromString(text);
  if (!key) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(key);
}

// The environ keys every request sets, made once: interned, with their hashes cached.
struct EnvironKeys {
  py::object request_method = Intern("REQUEST_METHOD"), path_info = Intern("PATH_INFO"),
             query_string = Intern("QUERY_STRING"), raw_uri = Intern("RAW_URI"),
             server_protocol = Intern("SERVER_PROTOCOL"), remote_addr = Intern("REMOTE_ADDR"),
             remote_port = Intern("REMOTE_PORT"), content_type = Intern("CONTENT_TYPE"),
             content_length = Intern("CONTENT_LENGTH"), wsgi_input = Intern("wsgi.input"),
             close = Intern("close");
};

// The environ key for a request header name ("Host" -> HTTP_HOST), cached for the first
// kMaxCached distinct spellings seen (clients send the same few), made fresh after that.
class HeaderKeys {
 public:
  py::object Get(std::string_view name, const EnvironKeys& keys) {
    for (const auto& [spelling, key] : cached_)
      if (spelling == name) return key;
    py::object key;
    if (IEquals(name, "Content-Type")) {
      key = keys.content_type;
    } else if (IEquals(name, "Content-Length")) {
      key = keys.content_length;
    } else {
      std::string text = EnvironHeaderKey(name);
      key = Intern(text.c_str());
    }
    if (cached_.size() < kMaxCached) cached_.emplace_back(std::string(name), key);
    return key;
  }

 private:
  static constexpr size_t kMaxCached = 32;
  std::vector<std::pair<std::string, py::object>> cached_;
};

// result.close, or null when it has none. Throws for any error but AttributeError.
py::object CloseMethod(PyObject* result, PyObject* name) {
  PyObject* method = PyObject_GetAttr(result, name);
  if (!method) {
    if (!PyErr_ExceptionMatches(PyExc_AttributeError)) throw py::error_already_set();
    PyErr_Clear();
  }
  return py::reinterpret_steal<py::object>(method);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string PercentDecode(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size()) {
      int hi = HexValue(path[i + 1]), lo = HexValue(path[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(path[i]);
  }
  return out;
}

// Everything one bridge needs between calls. start_response and write() point at it, so it
// lives on the heap and never moves.
struct WsgiBridge::State {
  py::object app;
  ServerIdentity server;
  ErrorSink errors;
  py::dict base_environ;   // the keys every request shares
  py::object error_parts;  // ErrorStream.parts, drained after each call
  py::object bytes_io;     // io.BytesIO
  py::object start_response;
  py::object write;
  EnvironKeys keys;
  HeaderKeys header_keys;
  LayerStack* layers = nullptr;  // --layers only
  // Per call:
  bool started = false;
  bool body_begun = false;  // "headers sent": the first body byte exists
  WsgiResponse response;

  py::object StartResponse(py::handle status, py::handle headers, py::handle exc_info);
  void AppendBody(PyObject* chunk);
  void ConsumeBody(PyObject* result);
  void CloseQuietly(PyObject* result);
  void LogPythonError(py::error_already_set& error, const char* context);
  void DrainErrors();
  WsgiResponse InternalError();
};

py::object WsgiBridge::State::StartResponse(py::handle status, py::handle headers,
                                            py::handle exc_info) {
  LayerScope layer(layers, Layer::kServer);
  if (!exc_info.is_none()) {
    if (body_begun) {  // PEP 3333: re-raise when the headers have gone out
      PyObject* info = exc_info.ptr();
      if (!PyTuple_Check(info) || PyTuple_GET_SIZE(info) != 3) {
        RaisePython(PyExc_TypeError, "exc_info must be a (type, value, traceback) tuple");
      }
      for (int i = 0; i < 3; ++i) Py_INCREF(PyTuple_GET_ITEM(info, i));
      PyErr_Restore(PyTuple_GET_ITEM(info, 0), PyTuple_GET_ITEM(info, 1),
                    PyTuple_GET_ITEM(info, 2));
      throw py::error_already_set();
    }
  } else if (started) {
    RaisePython(PyExc_AssertionError, "start_response called twice without exc_info");
  }
  if (!PyUnicode_Check(status.ptr())) RaisePython(PyExc_TypeError, "status must be a str");
  std::string line = Utf8(status.ptr());
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (line.size() < 4 || line[3] != ' ' || !digit(line[0]) || !digit(line[1]) || !digit(line[2])) {
    RaisePython(PyExc_ValueError, "status must look like '200 OK', got '" + line + "'");
  }
  if (!PyList_Check(headers.ptr())) {
    RaisePython(PyExc_TypeError, "response_headers must be a list of (name, value) tuples");
  }
  HeaderList parsed;
  Py_ssize_t count = PyList_GET_SIZE(headers.ptr());
  parsed.reserve(static_cast<size_t>(count));
  for (Py_ssize_t i = 0; i < count; ++i) {
    PyObject* item = PyList_GET_ITEM(headers.ptr(), i);
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 2 ||
        !PyUnicode_Check(PyTuple_GET_ITEM(item, 0)) ||
        !PyUnicode_Check(PyTuple_GET_ITEM(item, 1))) {
      RaisePython(PyExc_TypeError, "each response header must be a (str, str) tuple");
    }
    parsed.emplace_back(Utf8(PyTuple_GET_ITEM(item, 0)), Utf8(PyTuple_GET_ITEM(item, 1)));
  }
  started = true;
  response.status = std::stoi(line.substr(0, 3));
  response.status_line = std::move(line);
  response.headers = std::move(parsed);
  return write;
}

void WsgiBridge::State::AppendBody(PyObject* chunk) {
  if (!PyBytes_Check(chunk)) {
    RaisePython(PyExc_TypeError,
                std::string("body chunks must be bytes, got ") + Py_TYPE(chunk)->tp_name);
  }
  Py_ssize_t size = PyBytes_GET_SIZE(chunk);
  if (size == 0) return;
  if (!started) RaisePython(PyExc_AssertionError, "body data before start_response");
  body_begun = true;
  response.body.append(PyBytes_AS_STRING(chunk), static_cast<size_t>(size));
}

void WsgiBridge::State::ConsumeBody(PyObject* result) {
  if (PyList_CheckExact(result) || PyTuple_CheckExact(result)) {
    Py_ssize_t n = PySequence_Fast_GET_SIZE(result);
    for (Py_ssize_t i = 0; i < n; ++i) AppendBody(PySequence_Fast_GET_ITEM(result, i));
    return;
  }
  py::object iterator = py::reinterpret_steal<py::object>(PyObject_GetIter(result));
  if (!iterator) throw py::error_already_set();
  while (PyObject* raw = PyIter_Next(iterator.ptr())) {
    py::object chunk = py::reinterpret_steal<py::object>(raw);
    AppendBody(chunk.ptr());
  }
  if (PyErr_Occurred()) throw py::error_already_set();
}

void WsgiBridge::State::CloseQuietly(PyObject* result) {
  try {
    py::object close = CloseMethod(result, keys.close.ptr());
    if (close) close();
  } catch (py::error_already_set& error) {
    LogPythonError(error, "close() of the response iterable raised");
  }
}

void WsgiBridge::State::LogPythonError(py::error_already_set& error, const char* context) {
  errors(std::string(context) + "\n" + FormatPythonError(error));
}

void WsgiBridge::State::DrainErrors() {
  PyObject* parts = error_parts.ptr();
  if (PyList_GET_SIZE(parts) == 0) return;
  std::string text;
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(parts); ++i) {
    PyObject* part = PyList_GET_ITEM(parts, i);
    if (PyUnicode_Check(part)) text += Utf8(part);
  }
  PyList_SetSlice(parts, 0, PyList_GET_SIZE(parts), nullptr);
  errors(text);
}

WsgiResponse WsgiBridge::State::InternalError() {
  WsgiResponse failed;
  failed.status = 500;
  failed.status_line = "500 Internal Server Error";
  failed.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
  failed.body = "Internal Server Error\n";
  failed.app_failed = true;
  return failed;
}

WsgiBridge::WsgiBridge(py::object app, ServerIdentity server, ErrorSink errors)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.app = std::move(app);
  s.server = std::move(server);
  s.errors = std::move(errors);
  py::dict support;
  py::exec(kSupportSource, support);
  py::object error_stream = support["ErrorStream"]();
  s.error_parts = error_stream.attr("parts");
  s.bytes_io = py::module_::import("io").attr("BytesIO");
  State* self = state_.get();
  s.write = py::cpp_function([self](py::bytes data) {
    if (!self->started) RaisePython(PyExc_AssertionError, "write() before start_response");
    self->AppendBody(data.ptr());
  });
  s.start_response = py::cpp_function(
      [self](py::object status, py::object headers, py::object exc_info) {
        return self->StartResponse(status, headers, exc_info);
      },
      py::arg("status"), py::arg("response_headers"), py::arg("exc_info") = py::none());
  py::dict& env = s.base_environ;
  env["wsgi.version"] = py::make_tuple(1, 0);
  env["wsgi.url_scheme"] = "http";
  env["wsgi.errors"] = error_stream;
  env["wsgi.multithread"] = false;
  env["wsgi.multiprocess"] = s.server.multiprocess;
  env["wsgi.run_once"] = false;
  env["wsgi.input_terminated"] = true;
  env["wsgi.file_wrapper"] = support["FileWrapper"];
  env["SCRIPT_NAME"] = "";
  env["SERVER_NAME"] = s.server.name;
  env["SERVER_PORT"] = std::to_string(s.server.port);
  env["SERVER_SOFTWARE"] = s.server.software;
}

WsgiBridge::~WsgiBridge() = default;

void WsgiBridge::SetLayerStack(LayerStack* stack) { state_->layers = stack; }

py::dict WsgiBridge::BuildEnviron(const WsgiRequest& request) const {
  py::dict environ = py::reinterpret_steal<py::dict>(PyDict_Copy(state_->base_environ.ptr()));
  PyObject* env = environ.ptr();
  std::string_view target = request.target;
  size_t question = target.find('?');
  std::string_view path = target.substr(0, question);
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
  const EnvironKeys& keys = state_->keys;
  SetLatin1(env, keys.request_method.ptr(), request.method);
  SetLatin1(env, keys.path_info.ptr(), PercentDecode(path));
  SetLatin1(env, keys.query_string.ptr(), query);
  SetLatin1(env, keys.raw_uri.ptr(), target);
  SetLatin1(env, keys.server_protocol.ptr(), request.protocol);
  SetLatin1(env, keys.remote_addr.ptr(), request.remote_addr);
  SetLatin1(env, keys.remote_port.ptr(), std::to_string(request.remote_port));
  for (const auto& [name, value] : request.headers) {
    py::object key = state_->header_keys.Get(name, keys);
    PyObject* earlier = PyDict_GetItemWithError(env, key.ptr());
    if (!earlier && PyErr_Occurred()) throw py::error_already_set();
    if (!earlier) {
      SetLatin1(env, key.ptr(), value);
      continue;
    }
    bool cookie = PyUnicode_CompareWithASCIIString(key.ptr(), "HTTP_COOKIE") == 0;
    std::string joined = Utf8(earlier) + (cookie ? "; " : ",") + std::string(value);  // repeated
    SetLatin1(env, key.ptr(), joined);
  }
  py::object body = py::reinterpret_steal<py::object>(
      PyBytes_FromStringAndSize(request.body.data(), static_cast<Py_ssize_t>(request.body.size())));
  if (!body) throw py::error_already_set();
  py::object input =
      py::reinterpret_steal<py::object>(PyObject_CallOneArg(state_->bytes_io.ptr(), body.ptr()));
  if (!input || PyDict_SetItem(env, keys.wsgi_input.ptr(), input.ptr()) != 0)
    throw py::error_already_set();
  return environ;
}

WsgiResponse WsgiBridge::Call(const WsgiRequest& request) {
  State& s = *state_;
  s.started = false;
  s.body_begun = false;
  s.response = WsgiResponse{};
  WsgiResponse result;
  try {
    py::dict environ = BuildEnviron(request);
    PyObject* args[] = {environ.ptr(), s.start_response.ptr()};
    py::object iterable =
        py::reinterpret_steal<py::object>(PyObject_Vectorcall(s.app.ptr(), args, 2, nullptr));
    if (!iterable) throw py::error_already_set();
    LayerScope layer(s.layers, Layer::kResponse);
    try {
      s.ConsumeBody(iterable.ptr());
    } catch (py::error_already_set&) {
      s.CloseQuietly(iterable.ptr());
      throw;
    }
    if (py::object close = CloseMethod(iterable.ptr(), s.keys.close.ptr())) close();
    if (!s.started) RaisePython(PyExc_AssertionError, "the app never called start_response");
    result = std::move(s.response);
  } catch (py::error_already_set& error) {
    s.LogPythonError(
        error,
        ("error in the WSGI app for " + request.method + " " + request.target + ":").c_str());
    result = s.InternalError();
  }
  s.DrainErrors();
  return result;
}

}  // namespace fwbench::embed
