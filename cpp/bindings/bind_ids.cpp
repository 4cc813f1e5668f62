// Value types: ids, format versions, workflow ids, process identities, command contexts, envelopes.
#include <pybind11/pybind11.h>
// datetime.h needs Python.h first.
#include <datetime.h>

#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <mako/core/command_context.hpp>
#include <mako/core/errors.hpp>
#include <mako/core/event_envelope.hpp>
#include <mako/core/format_version.hpp>
#include <mako/core/ids.hpp>
#include <mako/core/process_identity.hpp>

#include "bindings.hpp"
#include "json_py.hpp"

namespace mako::py {

namespace pyb = pybind11;
using namespace pybind11::literals;

pyb::object to_datetime(Timestamp t) {
  if (!PyDateTimeAPI) PyDateTime_IMPORT;
  using namespace std::chrono;
  const auto us = floor<microseconds>(t);
  const auto day = floor<days>(us);
  const year_month_day ymd{day};
  hh_mm_ss<microseconds> tod{us - day};
  PyObject* dt = PyDateTimeAPI->DateTime_FromDateAndTime(
      int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), int(tod.hours().count()),
      int(tod.minutes().count()), int(tod.seconds().count()), int(tod.subseconds().count()), PyDateTime_TimeZone_UTC,
      PyDateTimeAPI->DateTimeType);
  if (!dt) throw pyb::error_already_set();
  return pyb::reinterpret_steal<pyb::object>(dt);
}

namespace {

std::string id_text(const pyb::handle& value) {
  if (PyUnicode_Check(value.ptr())) return value.cast<std::string>();
  return pyb::str(value);  // uuid.UUID and friends
}

// ==, !=, <, <=, > and >= from the C++ operators.
template <class T>
void def_comparisons(pyb::class_<T>& cls) {
  cls.def(pyb::self == pyb::self)
      .def(pyb::self != pyb::self)
      .def(pyb::self < pyb::self)
      .def(pyb::self <= pyb::self)
      .def(pyb::self > pyb::self)
      .def(pyb::self >= pyb::self);
}

template <class Tag>
pyb::class_<TypedId<Tag>> bind_id(pyb::module_& m, const char* name, const char* doc) {
  using Id = TypedId<Tag>;
  pyb::class_<Id> cls(m, name, doc);
  cls.def(pyb::init([](const pyb::object& value) {
            if (value.is_none()) return Id::generate();
            return Id::parse(id_text(value));
          }),
          "value"_a = pyb::none(),
          "A fresh random id (UUIDv4) without an argument, else the id parsed from a UUID string or uuid.UUID; "
          "raises InvalidInput for malformed text.")
      .def_static("generate", &Id::generate, "A fresh random id (UUIDv4).")
      .def_static("nil", &Id::nil, "The all-zero id.")
      .def_static(
          "parse", [](const std::string& text) { return Id::parse(text); }, "text"_a,
          "Parses a UUID string; raises InvalidInput when malformed.")
      .def_property_readonly(
          "uuid", [](const Id& id) { return pyb::module_::import("uuid").attr("UUID")(id.to_string()); },
          "The id as a uuid.UUID.")
      .def("__str__", &Id::to_string)
      .def("__repr__", [name](const Id& id) { return std::string(name) + "('" + id.to_string() + "')"; })
      .def("__hash__", [](const Id& id) { return std::hash<Id>{}(id); })
      .def(pyb::pickle([](const Id& id) { return pyb::make_tuple(id.to_string()); },
                       [](const pyb::tuple& t) { return Id::parse(t[0].cast<std::string>()); }));
  def_comparisons(cls);
  return cls;
}

FormatVersion to_format_version(const pyb::handle& value) {
  if (PyUnicode_Check(value.ptr())) return FormatVersion::parse(value.cast<std::string>());
  return value.cast<FormatVersion>();
}

Json json_argument(const pyb::handle& value, const char* what) {
  if (PyUnicode_Check(value.ptr()) || PyBytes_Check(value.ptr())) {
    const std::string text = pyb::str(value);
    try {
      return Json::parse(text);
    } catch (const Json::exception& e) {
      throw EngineError::invalid_input(std::string(what) + ": not valid JSON: " + e.what());
    }
  }
  return to_json(value, what);
}

}  // namespace

void bind_ids(pyb::module_& m) {
  bind_id<TenantTag>(m, "TenantId",
                     "The tenant (market participant) a process belongs to. TenantId.from_party_id derives it "
                     "deterministically from a market-partner id (UUIDv5).")
      .def_static(
          "from_party_id", [](const std::string& mp_id) { return TenantId::from_party_id(mp_id); }, "party_id"_a,
          "The deterministic tenant of a market partner: UUIDv5 over its MP-ID, compatible with the Rust "
          "crate mako-engine 0.2.1.");
  bind_id<ProcessTag>(m, "ProcessId", "Identifies one process (one stream of events).");
  bind_id<EventTag>(m, "EventId", "Identifies one stored event.");
  bind_id<CorrelationTag>(m, "CorrelationId", "Correlates every event caused by one command or interchange.")
      .def_static(
          "from_interchange_ref", [](const std::string& ref) { return CorrelationId::from_interchange_ref(ref); },
          "interchange_ref"_a,
          "The deterministic correlation of everything caused by one interchange: UUIDv5 over its UNB "
          "reference.");
  bind_id<CausationTag>(m, "CausationId", "The id of whatever caused a command (often an event id).");
  bind_id<ConversationTag>(m, "ConversationId",
                           "Groups the messages of one market conversation; defaults to the process id.");

  pyb::class_<FormatVersion> format_version_cls(
      m, "FormatVersion",
      "A format version of the market communication, 'FV' + YYYY-MM-DD (a real date, year >= "
      "2000). Ordered; parse errors raise InvalidInput (a ValueError) naming the problem.");
  format_version_cls
      .def(pyb::init([](const std::string& text) { return FormatVersion::parse(text); }), "text"_a,
           "Parses 'FV2025-10-01'.")
      .def(pyb::init<int, unsigned, unsigned>(), "year"_a, "month"_a, "day"_a)
      .def_static(
          "parse", [](const std::string& text) { return FormatVersion::parse(text); }, "text"_a,
          "Parses 'FV2025-10-01'; raises InvalidInput when malformed.")
      .def_property_readonly("year", &FormatVersion::year)
      .def_property_readonly("month", &FormatVersion::month)
      .def_property_readonly("day", &FormatVersion::day)
      .def("__str__", &FormatVersion::to_string)
      .def("__repr__", [](const FormatVersion& v) { return "FormatVersion('" + v.to_string() + "')"; })
      .def("__hash__", [](const FormatVersion& v) { return std::hash<std::string>{}(v.to_string()); })
      .def(pyb::pickle([](const FormatVersion& v) { return pyb::make_tuple(v.to_string()); },
                       [](const pyb::tuple& t) { return FormatVersion::parse(t[0].cast<std::string>()); }));
  def_comparisons(format_version_cls);

  pyb::class_<WorkflowId>(m, "WorkflowId", "A workflow's name and the format version it implements.")
      .def(pyb::init([](std::string name, const pyb::object& fv) {
             return WorkflowId(std::move(name), to_format_version(fv));
           }),
           "name"_a, "format_version"_a, "format_version: a FormatVersion or its text ('FV2025-10-01').")
      .def_property_readonly("name", &WorkflowId::name)
      .def_property_readonly("format_version", &WorkflowId::format_version)
      .def("__str__", &WorkflowId::to_string)
      .def("__repr__",
           [](const WorkflowId& w) {
             return "WorkflowId('" + w.name() + "', '" + w.format_version().to_string() + "')";
           })
      .def("__hash__", [](const WorkflowId& w) { return std::hash<std::string>{}(w.to_string()); })
      .def(pyb::self == pyb::self)
      .def(pyb::self != pyb::self)
      .def(pyb::pickle([](const WorkflowId& w) { return pyb::make_tuple(w.name(), w.format_version().to_string()); },
                       [](const pyb::tuple& t) {
                         return WorkflowId(t[0].cast<std::string>(), FormatVersion::parse(t[1].cast<std::string>()));
                       }));

  pyb::class_<ProcessIdentity>(m, "ProcessIdentity",
                               "Everything needed to re-attach to a process after a restart. Persist it with "
                               "to_json() and load it with ProcessIdentity.from_json().")
      .def(pyb::init([](const TenantId& t, const ProcessId& p, WorkflowId w) {
             return ProcessIdentity::create(t, p, std::move(w));
           }),
           "tenant_id"_a, "process_id"_a, "workflow_id"_a)
      .def_property_readonly(
          "stream_id", [](const ProcessIdentity& i) { return i.stream_id.str(); },
          "The event stream: 'process/{tenant_id}/{process_id}'.")
      .def_property_readonly("process_id", [](const ProcessIdentity& i) { return i.process_id; })
      .def_property_readonly("tenant_id", [](const ProcessIdentity& i) { return i.tenant_id; })
      .def_property_readonly("workflow_id", [](const ProcessIdentity& i) { return i.workflow_id; })
      .def("to_json", &ProcessIdentity::to_json_string,
           "The identity as JSON text: {\"stream_id\", \"process_id\", \"tenant_id\", \"workflow_id\": {\"name\", "
           "\"format_version\"}}.")
      .def(
          "to_dict", [](const ProcessIdentity& i) { return to_python(i.to_json()); }, "The identity as a dict.")
      .def_static(
          "from_json", [](const pyb::object& v) { return ProcessIdentity::from_json(json_argument(v, "identity")); },
          "value"_a, "Parses JSON text or a dict; raises InvalidInput naming the missing or malformed field.")
      .def(pyb::self == pyb::self)
      .def(pyb::self != pyb::self)
      .def("__hash__", [](const ProcessIdentity& i) { return std::hash<StreamId>{}(i.stream_id); })
      .def("__repr__",
           [](const ProcessIdentity& i) {
             return "ProcessIdentity(stream_id='" + i.stream_id.str() + "', workflow_id='" + i.workflow_id.to_string() +
                    "')";
           })
      .def(
          pyb::pickle([](const ProcessIdentity& i) { return pyb::make_tuple(i.to_json_string()); },
                      [](const pyb::tuple& t) { return ProcessIdentity::from_json_string(t[0].cast<std::string>()); }));

  pyb::class_<CommandContext>(m, "CommandContext",
                              "Metadata stamped onto every event a command produces. tenant_id/workflow_id, when set, "
                              "must match the process (a mismatch raises InvalidInput).")
      .def(pyb::init([](std::optional<CorrelationId> correlation, std::optional<CausationId> causation,
                        std::optional<ConversationId> conversation, std::optional<TenantId> tenant,
                        std::optional<WorkflowId> workflow) {
             CommandContext c;
             c.correlation_id = correlation;
             c.causation_id = causation;
             c.conversation_id = conversation;
             c.tenant_id = tenant;
             c.workflow_id = std::move(workflow);
             return c;
           }),
           pyb::kw_only(), "correlation_id"_a = pyb::none(), "causation_id"_a = pyb::none(),
           "conversation_id"_a = pyb::none(), "tenant_id"_a = pyb::none(), "workflow_id"_a = pyb::none())
      .def_readwrite("correlation_id", &CommandContext::correlation_id, "Fresh per command when None.")
      .def_readwrite("causation_id", &CommandContext::causation_id, "None in the envelope when None.")
      .def_readwrite("conversation_id", &CommandContext::conversation_id, "The process's conversation when None.")
      .def_readwrite("tenant_id", &CommandContext::tenant_id, "When set, must match the process.")
      .def_readwrite("workflow_id", &CommandContext::workflow_id, "When set, must match the process.")
      .def("__repr__", [](const CommandContext& c) {
        auto field = [](const char* name, const auto& v) {
          return std::string(name) + "=" + (v ? "'" + v->to_string() + "'" : std::string("None"));
        };
        return "CommandContext(" + field("correlation_id", c.correlation_id) + ", " +
               field("causation_id", c.causation_id) + ", " + field("conversation_id", c.conversation_id) + ", " +
               field("tenant_id", c.tenant_id) + ", " + field("workflow_id", c.workflow_id) + ")";
      });

  pyb::class_<EventEnvelope>(m, "EventEnvelope",
                             "A stored event with its metadata. payload is the event in the {\"type\", \"data\"} "
                             "shape; to_json() gives the contract JSON (compatible with mako-engine 0.2.1).")
      .def_property_readonly("event_id", [](const EventEnvelope& e) { return e.event_id; })
      .def_property_readonly("stream_id", [](const EventEnvelope& e) { return e.stream_id.str(); })
      .def_readonly("sequence_number", &EventEnvelope::sequence_number, "1-based, contiguous per stream.")
      .def_property_readonly(
          "timestamp", [](const EventEnvelope& e) { return to_datetime(e.timestamp); },
          "When the event was appended, a timezone-aware UTC datetime (microseconds).")
      .def_property_readonly("correlation_id", [](const EventEnvelope& e) { return optional_to_py(e.correlation_id); })
      .def_property_readonly("causation_id", [](const EventEnvelope& e) { return optional_to_py(e.causation_id); })
      .def_property_readonly("conversation_id", [](const EventEnvelope& e) { return e.conversation_id; })
      .def_property_readonly("process_id", [](const EventEnvelope& e) { return e.process_id; })
      .def_property_readonly("tenant_id", [](const EventEnvelope& e) { return e.tenant_id; })
      .def_property_readonly("workflow_id", [](const EventEnvelope& e) { return e.workflow_id; })
      .def_readonly("event_type", &EventEnvelope::event_type)
      .def_readonly("schema_version", &EventEnvelope::schema_version)
      .def_property_readonly(
          "payload", [](const EventEnvelope& e) { return to_python(e.payload.json()); },
          "The event as a dict {\"type\": ..., \"data\": {...}} (a new dict on every access).")
      .def_property_readonly(
          "data",
          [](const EventEnvelope& e) {
            const Json& payload = e.payload.json();
            auto it = payload.find("data");
            return it == payload.end() ? pyb::none() : to_python(*it);
          },
          "payload['data'], or None for unit events.")
      .def_readonly("global_position", &EventEnvelope::global_position,
                    "The store's position of the event in the global log (commit order).")
      .def("to_json", &EventEnvelope::to_json_string, "The envelope as contract JSON text.")
      .def(
          "to_dict", [](const EventEnvelope& e) { return to_python(e.to_json()); },
          "The envelope as a dict (contract field order).")
      .def_static(
          "from_json", [](const pyb::object& v) { return EventEnvelope::from_json(json_argument(v, "envelope")); },
          "value"_a, "Parses contract JSON text or a dict; raises InvalidInput naming the bad field.")
      .def("__eq__", [](const EventEnvelope& a, const EventEnvelope& b) { return a.to_json() == b.to_json(); })
      .def("__hash__", [](const EventEnvelope& e) { return std::hash<EventId>{}(e.event_id); })
      .def("__repr__",
           [](const EventEnvelope& e) {
             return "EventEnvelope(stream_id='" + e.stream_id.str() +
                    "', sequence_number=" + std::to_string(e.sequence_number) + ", event_type='" + e.event_type +
                    "', schema_version=" + std::to_string(e.schema_version) + ", timestamp='" +
                    format_rfc3339(e.timestamp) + "', payload=" + e.payload.json().dump() + ")";
           })
      .def(pyb::pickle([](const EventEnvelope& e) { return pyb::make_tuple(e.to_json_string()); },
                       [](const pyb::tuple& t) { return EventEnvelope::from_json_string(t[0].cast<std::string>()); }));
}

}  // namespace mako::py
