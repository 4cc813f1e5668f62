#pragma once
// Events as workflows produce them (NewEvent) and as the store keeps them (EventEnvelope).
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

// An in-process copy of the typed event next to its JSON payload. Stores that keep events in memory
// hand it back on replay so a C++ workflow can skip JSON decoding; `tag` identifies the C++ type.
struct NativeEvent {
  std::shared_ptr<const void> value;
  const void* tag = nullptr;
};

struct NewEvent {
  std::string event_type;
  std::uint32_t schema_version = 1;
  Json payload;  // adjacently tagged: {"type": ..., "data": {...}} (no "data" for unit events)
  NativeEvent native;
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
  Json payload;
  // Store-assigned position in the global log (commit order); not part of the JSON contract.
  std::uint64_t global_position = 0;
  NativeEvent native;

  // Fields in contract order: event_id, stream_id, sequence_number, timestamp, correlation_id,
  // causation_id, conversation_id, process_id, tenant_id, workflow_id, event_type, schema_version, payload.
  Json to_json() const;
  std::string to_json_string() const;
  static EventEnvelope from_json(const Json& json);  // throws EngineError(InvalidInput) naming the field
  static EventEnvelope from_json_string(std::string_view text);
};

}  // namespace mako
