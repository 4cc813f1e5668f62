#pragma once
// Events as workflows produce them (NewEvent) and as the store keeps them (EventEnvelope).
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "mako/core/format_version.hpp"
#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

// A typed event kept in process memory as the C++ object it is, so that a C++ workflow can fold it
// without JSON decoding. Its JSON payload is rendered from the object on first request only (at most
// once, thread-safe) and shared by every copy of the envelope: writing an event to the in-memory
// store then costs no JSON at all. `tag` identifies the C++ type (see TypedWorkflowRuntime).
class NativeEvent {
 public:
  explicit NativeEvent(const void* tag) : tag_(tag) {}
  virtual ~NativeEvent();
  NativeEvent(const NativeEvent&) = delete;
  NativeEvent& operator=(const NativeEvent&) = delete;

  const void* tag() const { return tag_; }
  const Json& json() const;
  // Appends the payload's JSON text -- exactly json().dump() -- to `out`: written straight from
  // the C++ object when its type can (render_text), so a store pays for no mako::Json at all.
  // Throws Json::exception (or what the type's writer throws) like json() would.
  void append_json_text(std::string& out) const;

 private:
  virtual Json render() const = 0;
  // Appends the text of render() without building it; false when this type cannot.
  virtual bool render_text(std::string& /*out*/) const { return false; }
  const void* tag_;
  mutable std::atomic<const Json*> json_{nullptr};
};

// An event's payload in the adjacently tagged shape {"type": ..., "data": {...}} (no "data" for
// unit events): either plain JSON or a native event whose JSON is rendered when first read.
class EventPayload {
 public:
  EventPayload() = default;                            // JSON null
  EventPayload(Json json) : json_(std::move(json)) {}  // NOLINT: any JSON value is a payload
  explicit EventPayload(std::shared_ptr<const NativeEvent> native) : native_(std::move(native)) {}

  const Json& json() const { return native_ ? native_->json() : json_; }
  // Appends json().dump() to `out` (see NativeEvent::append_json_text).
  void append_json_text(std::string& out) const;
  // For editing in place: turns the payload into plain JSON (rendering a native event first).
  Json& mutable_json();
  // The native event, if the payload was produced in this process by a C++ workflow (or is kept
  // by a store as text to parse on first read: see `tag`).
  const NativeEvent* native() const { return native_.get(); }

 private:
  Json json_;  // unused while native_ is set
  std::shared_ptr<const NativeEvent> native_;
};

struct NewEvent {
  std::string event_type;
  std::uint32_t schema_version = 1;
  EventPayload payload;
};

struct EventEnvelope {
  EventId event_id;
  StreamId stream_id;
  std::uint64_t sequence_number = 0;  // 1-based, contiguous per stream; assigned on append
  Timestamp timestamp{};
  std::optional<CorrelationId> correlation_id;
  std::optional<CausationId> causation_id;
  ConversationId conversation_id;
  ProcessId process_id;
  TenantId tenant_id;
  WorkflowId workflow_id;
  std::string event_type;
  std::uint32_t schema_version = 1;
  EventPayload payload;
  // Store-assigned position in the global log (increasing, see EventStore::read_all); not part of
  // the JSON contract.
  std::uint64_t global_position = 0;

  // Fields in contract order: event_id, stream_id, sequence_number, timestamp, correlation_id,
  // causation_id, conversation_id, process_id, tenant_id, workflow_id, event_type, schema_version, payload.
  Json to_json() const;
  std::string to_json_string() const;
  static EventEnvelope from_json(const Json& json);  // throws EngineError(InvalidInput) naming the field
  static EventEnvelope from_json_string(std::string_view text);
};

}  // namespace mako
