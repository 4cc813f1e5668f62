// The GPKE workflows (mako::gpke) registered by name in the global WorkflowRegistry, so
// Engine.spawn("gpke.lieferbeginn.nb") drives them with JSON commands at C++ speed; and the
// rendering of their outbound UTILMD payloads into EDIFACT.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mako/core/workflow_registry.hpp>
#include <mako/domain/edifact/writer.hpp>
#include <mako/domain/gpke/outbound_utilmd.hpp>
#include <mako/domain/gpke/register_workflows.hpp>
#include <mako/domain/gpke/vorgangsnummer.hpp>

#include "domain_py.hpp"
#include "json_py.hpp"

namespace mako::py {

using namespace pybind11::literals;

namespace {

// Names the argument whose JSON shape was wrong; every other conversion is the translator's (errors_py.cpp).
template <class F>
auto json_call(const char* what, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Json::exception& e) {
    throw EngineError::invalid_input(std::string(what) + ": " + e.what());
  }
}

}  // namespace

void bind_gpke(pyb::module_& m) {
  gpke::register_workflows(WorkflowRegistry::global());

  m.def("gpke_workflow_names", &gpke::workflow_names_list,
        "The names of the GPKE workflows registered for Engine.spawn(), e.g. 'gpke.lieferbeginn.nb'.");
  m.def(
      "gpke_render_utilmd",
      [](const pyb::object& payload, std::string interchange_reference, std::string message_reference) {
        const Json json = to_json(payload, "payload");
        const auto ic = json_call("payload", [&] {
          return gpke::render_utilmd_interchange(json, std::move(interchange_reference), std::move(message_reference));
        });
        return pyb::bytes(edifact::write(ic));
      },
      "payload"_a, "interchange_reference"_a, "message_reference"_a = "1",
      "An outbound UTILMD payload of a GPKE workflow (OutboundMessage.payload, message_type 'UTILMD') rendered "
      "as a complete interchange (wire bytes).");
  m.def(
      "gpke_derive_vorgangsnummer",
      [](const std::string& sender, const std::string& request_reference, std::uint32_t pid) {
        return gpke::derive_vorgangsnummer(sender, request_reference, pid);
      },
      "sender"_a, "request_reference"_a, "pid"_a,
      "The deterministic Vorgangsnummer a GPKE workflow gives a message it sends ('GP' + 16 hex digits).");
}

}  // namespace mako::py
