#include "json_py.hpp"

#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include <mako/core/errors.hpp>

namespace mako::py {

namespace {

// The path to the value being converted; only turned into text when something is refused.
struct Path {
  const char* root;
  struct Step {
    const char* key;  // nullptr: index
    Py_ssize_t key_size;
    Py_ssize_t index;
  };
  std::vector<Step> steps;

  std::string str() const {
    std::string out = root;
    for (const auto& s : steps) {
      if (s.key) {
        out += '.';
        out.append(s.key, static_cast<std::size_t>(s.key_size));
      } else {
        out += '[' + std::to_string(s.index) + ']';
      }
    }
    return out;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw EngineError(EngineError::Kind::Serialization, str() + ": " + what);
  }
};

std::string type_name(PyObject* o) { return Py_TYPE(o)->tp_name; }

// The UTF-8 of a str. A str that has none (a lone surrogate such as "\ud800", e.g. from a file
// name decoded with surrogateescape) is refused as a SerializationError naming the value's path,
// not a raw UnicodeEncodeError.
std::string_view utf8_of(PyObject* o, const Path& path, const char* what) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(o, &size);
  if (data) return {data, static_cast<std::size_t>(size)};
  if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError)) throw pyb::error_already_set();
  PyErr_Clear();
  std::string where;
  for (Py_ssize_t i = 0, n = PyUnicode_GET_LENGTH(o); i < n; ++i) {
    const Py_UCS4 c = PyUnicode_READ_CHAR(o, i);
    if (c >= 0xD800 && c <= 0xDFFF) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "%04X", static_cast<unsigned>(c));
      where = " (a lone surrogate \\u" + std::string(hex) + " at index " + std::to_string(i) + ")";
      break;
    }
  }
  path.fail(std::string(what) + " is not valid Unicode text" + where + "; JSON text must be UTF-8");
}

PyObject* dataclass_fields_name() {
  static PyObject* name = PyUnicode_InternFromString("__dataclass_fields__");
  return name;
}

Json convert(PyObject* o, Path& path, int depth);

Json convert_dict(PyObject* o, Path& path, int depth) {
  Json out = Json::object();
  PyObject *key, *value;
  Py_ssize_t pos = 0;
  while (PyDict_Next(o, &pos, &key, &value)) {
    if (!PyUnicode_Check(key)) {
      pyb::str repr(pyb::repr(key));
      path.fail("dict key " + std::string(repr) + " is not a string (JSON object keys must be strings)");
    }
    const std::string_view k = utf8_of(key, path, "a dict key");
    path.steps.push_back({k.data(), static_cast<Py_ssize_t>(k.size()), 0});
    out[std::string(k)] = convert(value, path, depth + 1);
    path.steps.pop_back();
  }
  return out;
}

Json convert(PyObject* o, Path& path, int depth) {
  if (depth > 200) path.fail("nested too deeply (or a reference cycle)");
  if (o == Py_None) return nullptr;
  if (o == Py_True) return true;
  if (o == Py_False) return false;
  if (PyUnicode_Check(o)) return std::string(utf8_of(o, path, "the string"));
  if (PyLong_Check(o)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
    if (overflow == 0) {
      if (v == -1 && PyErr_Occurred()) throw pyb::error_already_set();
      return static_cast<std::int64_t>(v);
    }
    if (overflow > 0) {
      unsigned long long u = PyLong_AsUnsignedLongLong(o);
      if (!PyErr_Occurred()) return static_cast<std::uint64_t>(u);
      PyErr_Clear();
    }
    path.fail("integer out of the 64-bit range JSON numbers are kept in");
  }
  if (PyFloat_Check(o)) {
    const double d = PyFloat_AS_DOUBLE(o);
    if (!std::isfinite(d)) path.fail("float " + std::to_string(d) + " is not allowed in JSON");
    return d;
  }
  if (PyDict_Check(o)) return convert_dict(o, path, depth);
  if (PyList_Check(o) || PyTuple_Check(o)) {
    Json out = Json::array();
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(o);
    PyObject** items = PySequence_Fast_ITEMS(o);
    for (Py_ssize_t i = 0; i < n; ++i) {
      path.steps.push_back({nullptr, 0, i});
      out.push_back(convert(items[i], path, depth + 1));
      path.steps.pop_back();
    }
    return out;
  }
  if (is_dataclass_instance(o)) {
    pyb::object d = dataclass_asdict(o);
    return convert_dict(d.ptr(), path, depth);
  }
  path.fail("object of type " + type_name(o) + " is not JSON serialisable");
}

}  // namespace

bool is_dataclass_instance(pyb::handle value) {
  PyObject* o = value.ptr();
  if (PyType_Check(o)) return false;
  return PyObject_HasAttr(reinterpret_cast<PyObject*>(Py_TYPE(o)), dataclass_fields_name()) == 1;
}

pyb::object dataclass_asdict(pyb::handle value) {
  static PyObject* asdict = [] {
    pyb::object f = pyb::module_::import("dataclasses").attr("asdict");
    return f.release().ptr();  // kept for the life of the process
  }();
  PyObject* r = PyObject_CallOneArg(asdict, value.ptr());
  if (!r) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::object>(r);
}

Json to_json(pyb::handle value, const char* root) {
  Path path{root, {}};
  return convert(value.ptr(), path, 0);
}

pyb::object to_python(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return pyb::none();
    case Json::value_t::boolean: return pyb::bool_(j.get<bool>());
    case Json::value_t::number_integer:
      return pyb::reinterpret_steal<pyb::object>(PyLong_FromLongLong(j.get<std::int64_t>()));
    case Json::value_t::number_unsigned:
      return pyb::reinterpret_steal<pyb::object>(PyLong_FromUnsignedLongLong(j.get<std::uint64_t>()));
    case Json::value_t::number_float: return pyb::reinterpret_steal<pyb::object>(PyFloat_FromDouble(j.get<double>()));
    case Json::value_t::string: {
      const auto& s = j.get_ref<const std::string&>();
      PyObject* o = PyUnicode_FromStringAndSize(s.data(), static_cast<Py_ssize_t>(s.size()));
      if (!o) throw pyb::error_already_set();
      return pyb::reinterpret_steal<pyb::object>(o);
    }
    case Json::value_t::array: {
      pyb::list out(j.size());
      std::size_t i = 0;
      for (const auto& v : j) PyList_SET_ITEM(out.ptr(), static_cast<Py_ssize_t>(i++), to_python(v).release().ptr());
      return out;
    }
    case Json::value_t::object: {
      PyObject* d = PyDict_New();
      if (!d) throw pyb::error_already_set();
      pyb::object out = pyb::reinterpret_steal<pyb::object>(d);
      for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& k = it.key();
        pyb::object key = pyb::reinterpret_steal<pyb::object>(
            PyUnicode_FromStringAndSize(k.data(), static_cast<Py_ssize_t>(k.size())));
        if (!key) throw pyb::error_already_set();
        pyb::object v = to_python(it.value());
        if (PyDict_SetItem(d, key.ptr(), v.ptr()) != 0) throw pyb::error_already_set();
      }
      return out;
    }
    case Json::value_t::binary: {
      const auto& b = j.get_binary();
      return pyb::bytes(reinterpret_cast<const char*>(b.data()), b.size());
    }
    case Json::value_t::discarded: break;
  }
  return pyb::none();
}

}  // namespace mako::py
