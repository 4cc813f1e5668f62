#include "mako/core/event_envelope.hpp"

#include "mako/core/json_text.hpp"

#include "json_fields.hpp"

namespace mako {

namespace {
constexpr const char* kWhat = "event envelope";

template <class Id>
std::optional<Id> optional_id(const Json& j, const char* field) {
  const Json& v = detail::require_field(j, field, kWhat);
  if (v.is_null()) return std::nullopt;
  if (!v.is_string())
    throw EngineError::invalid_input(std::string(kWhat) + ": field '" + field + "' must be a string or null");
  return detail::with_field(field, kWhat, [&] { return Id(Uuid::parse(v.get_ref<const std::string&>())); });
}
}  // namespace

NativeEvent::~NativeEvent() { delete json_.load(std::memory_order_acquire); }

const Json& NativeEvent::json() const {
  if (const Json* done = json_.load(std::memory_order_acquire)) return *done;
  auto fresh = std::make_unique<const Json>(render());
  const Json* expected = nullptr;
  // Readers may race to render; the first to publish wins and the others drop their copy.
  if (json_.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel, std::memory_order_acquire))
    return *fresh.release();
  return *expected;
}

void NativeEvent::append_json_text(std::string& out) const {
  if (const Json* done = json_.load(std::memory_order_acquire)) return append_json(*done, out);
  const std::size_t mark = out.size();
  try {
    if (render_text(out)) return;
  } catch (...) {
    out.resize(mark);  // nothing half-written stays behind
    throw;
  }
  append_json(json(), out);
}

void EventPayload::append_json_text(std::string& out) const {
  if (native_) return native_->append_json_text(out);
  append_json(json_, out);
}

Json& EventPayload::mutable_json() {
  if (native_) {
    json_ = native_->json();
    native_.reset();
  }
  return json_;
}

Json EventEnvelope::to_json() const {
  Json j = Json::object();
  j["event_id"] = event_id.to_string();
  j["stream_id"] = stream_id.str();
  j["sequence_number"] = sequence_number;
  j["timestamp"] = format_rfc3339(timestamp);
  j["correlation_id"] = correlation_id ? Json(correlation_id->to_string()) : Json(nullptr);
  j["causation_id"] = causation_id ? Json(causation_id->to_string()) : Json(nullptr);
  j["conversation_id"] = conversation_id.to_string();
  j["process_id"] = process_id.to_string();
  j["tenant_id"] = tenant_id.to_string();
  j["workflow_id"] = detail::workflow_id_to_json(workflow_id);
  j["event_type"] = event_type;
  j["schema_version"] = schema_version;
  j["payload"] = payload.json();
  return j;
}

std::string EventEnvelope::to_json_string() const { return to_json().dump(); }

EventEnvelope EventEnvelope::from_json(const Json& j) {
  using namespace detail;
  EventEnvelope e;
  e.event_id = with_field("event_id", kWhat, [&] { return EventId::parse(require_string(j, "event_id", kWhat)); });
  e.stream_id = with_field("stream_id", kWhat, [&] { return StreamId(require_string(j, "stream_id", kWhat)); });
  e.sequence_number = require_unsigned(j, "sequence_number", kWhat);
  if (e.sequence_number == 0) throw EngineError::invalid_input("event envelope: sequence_number must be >= 1");
  e.timestamp = with_field("timestamp", kWhat, [&] { return parse_rfc3339(require_string(j, "timestamp", kWhat)); });
  e.correlation_id = optional_id<CorrelationId>(j, "correlation_id");
  e.causation_id = optional_id<CausationId>(j, "causation_id");
  e.conversation_id = with_field("conversation_id", kWhat,
                                 [&] { return ConversationId::parse(require_string(j, "conversation_id", kWhat)); });
  e.process_id =
      with_field("process_id", kWhat, [&] { return ProcessId::parse(require_string(j, "process_id", kWhat)); });
  e.tenant_id = with_field("tenant_id", kWhat, [&] { return TenantId::parse(require_string(j, "tenant_id", kWhat)); });
  e.workflow_id = workflow_id_from_json(j, kWhat);
  e.event_type = require_string(j, "event_type", kWhat);
  auto sv = require_unsigned(j, "schema_version", kWhat);
  if (sv > 0xFFFFFFFFu) throw EngineError::invalid_input("event envelope: schema_version out of range");
  e.schema_version = static_cast<std::uint32_t>(sv);
  e.payload = require_field(j, "payload", kWhat);
  return e;
}

EventEnvelope EventEnvelope::from_json_string(std::string_view text) {
  return from_json(detail::parse_json_text(text, kWhat));
}

}  // namespace mako
