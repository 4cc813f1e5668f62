// MaLo-ID, MP-ID and MeLo-ID (mako::identifiers) as immutable Python value types. Every parse error is
// InvalidInput (a ValueError) whose message names the field: "MaLo-ID '123': ...".
#include <pybind11/operators.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mako/domain/identifiers/malo_id.hpp>
#include <mako/domain/identifiers/melo_id.hpp>
#include <mako/domain/identifiers/mp_id.hpp>

#include "domain_py.hpp"

namespace mako::py {

using namespace pybind11::literals;

namespace {

template <class Id>
pyb::class_<Id> bind_identifier(pyb::module_& m, const char* name, const char* field, const char* doc) {
  pyb::class_<Id> cls(m, name, doc);
  const std::string field_name = field;
  cls.def(pyb::init([](const std::string& text) { return Id::parse(text); }), "text"_a,
          "Parses and validates; raises InvalidInput (a ValueError) naming the field and the reason.")
      .def_static(
          "parse", [](const std::string& text) { return Id::parse(text); }, "text"_a,
          "Parses and validates; raises InvalidInput (a ValueError) naming the field and the reason.")
      .def_static(
          "validate",
          [](const std::string& text) {
            const auto v = Id::validate(text);
            return std::make_pair(v.ok, v.ok ? std::optional<std::string>() : std::optional<std::string>(v.reason));
          },
          "text"_a, "(ok, reason): reason is None when ok, else why the text is not valid (without the field name).")
      .def_static(
          "why_invalid",
          [field_name](const std::string& text) -> std::optional<std::string> {
            const auto v = Id::validate(text);
            if (v.ok) return std::nullopt;
            return field_name + ": " + v.reason;
          },
          "text"_a, "None when valid, else the reason naming the field.")
      .def_static(
          "is_valid", [](const std::string& text) { return Id::validate(text).ok; }, "text"_a,
          "Whether the text is a valid id.")
      .def_property_readonly("value", &Id::str, "The id as text.")
      .def("__str__", &Id::str)
      .def("__repr__", [name](const Id& id) { return std::string(name) + "('" + id.str() + "')"; })
      .def("__hash__", [](const Id& id) { return std::hash<std::string>{}(id.str()); })
      .def("__eq__",
           [](const Id& a, const pyb::object& b) -> pyb::object {
             if (pyb::isinstance<Id>(b)) return pyb::bool_(a == b.cast<const Id&>());
             return pyb::reinterpret_borrow<pyb::object>(Py_NotImplemented);
           })
      .def(pyb::self < pyb::self)
      .def(pyb::self <= pyb::self)
      .def(pyb::self > pyb::self)
      .def(pyb::self >= pyb::self)
      .def(pyb::pickle([](const Id& id) { return pyb::make_tuple(id.str()); },
                       [](const pyb::tuple& t) { return Id::parse(t[0].cast<std::string>()); }));
  return cls;
}

identifiers::MpIdKind to_kind(const pyb::object& kind) {
  if (pyb::isinstance<identifiers::MpIdKind>(kind)) return kind.cast<identifiers::MpIdKind>();
  const std::string text = pyb::str(kind);
  if (text == "BDEW" || text == "bdew") return identifiers::MpIdKind::Bdew;
  if (text == "DVGW" || text == "dvgw") return identifiers::MpIdKind::Dvgw;
  if (text == "GS1" || text == "gs1") return identifiers::MpIdKind::Gs1;
  throw EngineError::invalid_input("kind: 'BDEW', 'DVGW' or 'GS1' expected, got '" + text + "'");
}

}  // namespace

void bind_identifiers(pyb::module_& m) {
  bind_identifier<identifiers::MaloId>(
      m, "MaloId", "MaLo-ID", "Marktlokations-ID: 11 digits, first 1-9, last a BDEW check digit over the first 10.")
      .def_static(
          "from_base", [](const std::string& ten) { return identifiers::MaloId::from_base(ten); }, "ten_digits"_a,
          "Appends the check digit to 10 digits.")
      .def_static("generate", &identifiers::MaloId::generate, "seed"_a,
                  "A valid id derived deterministically from seed (same id in C++ and Python).")
      .def_property_readonly("check_digit", &identifiers::MaloId::check_digit, "The last digit.");

  pyb::enum_<identifiers::MpIdKind>(m, "MpIdKind",
                                    "Who issued an MP-ID: BDEW (99, Strom), DVGW (98, Gas) or GS1 (GLN).")
      .value("BDEW", identifiers::MpIdKind::Bdew)
      .value("DVGW", identifiers::MpIdKind::Dvgw)
      .value("GS1", identifiers::MpIdKind::Gs1);

  bind_identifier<identifiers::MpId>(
      m, "MpId", "MP-ID",
      "Marktpartner-ID: 13 digits; prefix 99 (BDEW) / 98 (DVGW) with the BDEW check digit, "
      "anything else a GS1 GLN with the EAN-13 check digit.")
      .def_static(
          "from_base", [](const std::string& twelve) { return identifiers::MpId::from_base(twelve); },
          "twelve_digits"_a, "Appends the check digit (chosen by prefix) to 12 digits.")
      .def_static(
          "generate",
          [](std::uint64_t seed, const pyb::object& kind) { return identifiers::MpId::generate(seed, to_kind(kind)); },
          "seed"_a, "kind"_a = identifiers::MpIdKind::Bdew,
          "A valid id of kind (MpIdKind or 'BDEW'/'DVGW'/'GS1') derived deterministically from seed.")
      .def_property_readonly("kind", &identifiers::MpId::kind, "MpIdKind.BDEW, DVGW or GS1 (by prefix).");

  bind_identifier<identifiers::MeloId>(m, "MeloId", "MeLo-ID",
                                       "Messlokations-ID: 33 characters, country code, 6-digit grid operator number, "
                                       "5-digit postcode, 20 alphanumerics; no check digit.")
      .def_static("generate", &identifiers::MeloId::generate, "seed"_a,
                  "A valid 'DE...' id derived deterministically from seed.")
      .def_property_readonly("country_code", &identifiers::MeloId::country_code)
      .def_property_readonly("grid_operator_number", &identifiers::MeloId::grid_operator_number)
      .def_property_readonly("postcode", &identifiers::MeloId::postcode)
      .def_property_readonly("counter_part", &identifiers::MeloId::counter_part);
}

}  // namespace mako::py
